import autocannon from 'autocannon';
import { startServer } from './spawn-server';

/**
 * `npm run soak`: 60 seconds of key-authenticated traffic against a real Keygate process.
 * Passes with zero errors and no heap growth: the heap after a full collection, taken after a
 * warm-up and again at the end, may not grow by more than MAX_GROWTH.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARM_UP_SECONDS = 10;
const MAX_GROWTH = 0.1;

async function main() {
  const server = await startServer('keygate', {}, ['--expose-gc']);
  const key = String(server.info.key);
  const headers = { 'content-type': 'application/json', 'x-client-key': key };
  const traffic = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections: 16,
      duration,
      requests: [
        { method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query: '{ viewer { kind id scopes } }' }) },
        {
          method: 'POST',
          path: '/graphql',
          headers,
          body: JSON.stringify({ query: '{ clientKeys(first: 20) { totalCount nodes { id name owner { email } } } }' }),
        },
      ],
    });

  const warm = await traffic(WARM_UP_SECONDS);
  const before = await server.heapAfterGc();
  const result = await traffic(SECONDS);
  const after = await server.heapAfterGc();
  await server.stop();

  const growth = (after - before) / before;
  const errors = result.errors + result.non2xx + result.timeouts + warm.errors + warm.non2xx + warm.timeouts;
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(
    `soak: ${SECONDS} s after a ${WARM_UP_SECONDS} s warm-up, ${result.requests.total.toLocaleString('en')} requests, ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`,
  );
  console.log(`errors: ${errors} (connection errors ${result.errors}, non-2xx ${result.non2xx}, timeouts ${result.timeouts})`);
  console.log(`heap after a full GC: ${mib(before)} MiB after the warm-up, ${mib(after)} MiB at the end (${(growth * 100).toFixed(1)}%)`);
  if (errors > 0 || growth > MAX_GROWTH) {
    console.error(`soak FAILED:${errors > 0 ? ' errors' : ''}${growth > MAX_GROWTH ? ` heap grew more than ${MAX_GROWTH * 100}%` : ''}`);
    process.exit(1);
  }
  console.log('soak passed');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
