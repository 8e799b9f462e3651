import { startBenchKeygate } from './keygate-fixture';
import { KeyRateLimiter } from '../src/rate-limiting/key-rate-limiter';

async function main() {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const { app, key, stop } = await startBenchKeygate();
  const auth = app.wiring.authenticator;
  const rl = new KeyRateLimiter();
  const headers = { 'x-client-key': key, 'content-type': 'application/json' };
  const time = async (label: string, n: number, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 5000; i++) await fn();
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    console.log(label, (Number(process.hrtime.bigint() - started) / n / 1000).toFixed(2), 'µs');
  };
  await time('authenticate', 100_000, () => auth.authenticate(headers));
  await time('rate limit', 100_000, () => rl.consume('k1', 1_000_000_000));
  await stop();
  process.exit(0);
}
void main();
