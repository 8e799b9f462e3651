import { startBenchKeygate } from '../keygate-fixture';

/** Keygate in its own process for the load benchmarks; SEED_KEYS fills the key table, BENCH_REDIS_URL holds the rate limits. */
async function main() {
  const { app, key, dbName, stop } = await startBenchKeygate(Number(process.env.SEED_KEYS ?? 0), process.env.BENCH_REDIS_URL || undefined);
  console.log(JSON.stringify({ port: app.port, key, dbName }));
  const shutdown = () => void stop().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // The soak asks for the heap after a full collection (run with --expose-gc).
  process.on('SIGUSR2', () => {
    (globalThis as { gc?: () => void }).gc?.();
    console.log(JSON.stringify({ heapUsed: process.memoryUsage().heapUsed }));
  });
}
void main();
