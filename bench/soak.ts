import autocannon from 'autocannon';
import { startServer } from './spawn-server';

/**
 * `npm run soak`: 60 seconds of key-authenticated traffic against a real Keygate process.
 * Passes with zero errors and no heap growth (the heap's low points, after garbage
 * collection, must not climb between the first and the last quarter of the run).
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const MAX_GROWTH = 0.1;

async function heapUsed(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^keygate_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(text)?.[1]);
}

async function main() {
  const server = await startServer('keygate', {}, ['--expose-gc']);
  const key = String(server.info.key);
  const samples: number[] = [];
  const sampler = setInterval(() => void heapUsed(server.port).then((h) => samples.push(h)), 1000);

  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: 16,
    duration: SECONDS,
    requests: [
      { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'x-client-key': key }, body: JSON.stringify({ query: '{ viewer { kind id scopes } }' }) },
      { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'x-client-key': key }, body: JSON.stringify({ query: '{ clientKeys(first: 20) { totalCount nodes { id name owner { email } } } }' }) },
    ],
  });
  clearInterval(sampler);
  await server.stop();

  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const early = Math.min(...samples.slice(quarter, 2 * quarter));
  const late = Math.min(...samples.slice(-quarter));
  const growth = (late - early) / early;
  const errors = result.errors + result.non2xx + result.timeouts;
  console.log(`soak: ${SECONDS} s, ${result.requests.total.toLocaleString('en')} requests, ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`);
  console.log(`errors: ${errors} (connection errors ${result.errors}, non-2xx ${result.non2xx}, timeouts ${result.timeouts})`);
  console.log(`heap low point: ${(early / 2 ** 20).toFixed(1)} MiB in the second quarter, ${(late / 2 ** 20).toFixed(1)} MiB in the last (${(growth * 100).toFixed(1)}%)`);
  if (errors > 0 || growth > MAX_GROWTH) {
    console.error(`soak FAILED: ${errors > 0 ? 'errors' : ''} ${growth > MAX_GROWTH ? `heap grew more than ${MAX_GROWTH * 100}%` : ''}`);
    process.exit(1);
  }
  console.log('soak passed');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
