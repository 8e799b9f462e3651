import { startBenchKeygate } from './keygate-fixture';

/** Key verification per call, in process: warm (cache hit) and cold (cache cleared: a database query). */
async function main() {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const { app, key, stop } = await startBenchKeygate();
  const verifier = app.wiring.verifier;
  const time = async (n: number, before?: () => void) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      before?.();
      await verifier.verify(key);
    }
    return Number(process.hrtime.bigint() - started) / n;
  };
  await time(20_000);
  const hit = await time(200_000);
  await time(200, () => verifier.clear());
  const miss = await time(2_000, () => verifier.clear());
  console.log(
    `key verification: cache hit ${(hit / 1000).toFixed(2)} µs/call, cache miss ${(miss / 1000).toFixed(1)} µs/call (one indexed query); miss/hit ${(miss / hit).toFixed(0)}x`,
  );
  await stop();
  process.exit(0);
}
void main();
