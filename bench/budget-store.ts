import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { BudgetStore } from '../src/budgets/budget-store';
import type { Counter } from '../src/budgets/budget-types';

/**
 * Charges per second of the budget store with a request's seven counters (key, its cost limit,
 * two ancestors, the owner, the key's and the owner's credits), in memory and against Redis
 * (REDIS_URL, default 127.0.0.1:6379): one at a time (latency-bound) and 64 in flight (what a busy
 * instance sees). Keys rotate over 1,000 keys so the script reads realistic hashes.
 * `npm run build:tools && node dist/bench/budget-store.js`
 */
const KEYS = 1000;

function counters(i: number): Counter[] {
  const k = i % KEYS;
  return [
    { kind: 'window', id: `key-${k}`, limit: 1e9, periodSeconds: 60, units: 1 },
    { kind: 'window', id: `key-cost-${k}`, limit: 1e9, periodSeconds: 3600, units: 25 },
    { kind: 'window', id: `parent-${k % 100}`, limit: 1e9, periodSeconds: 60, units: 1 },
    { kind: 'window', id: `root-${k % 10}`, limit: 1e9, periodSeconds: 60, units: 1 },
    { kind: 'window', id: `owner-${k % 10}`, limit: 1e9, periodSeconds: 86_400, units: 25 },
    { kind: 'balance', id: `key-credits-${k}`, units: 25, initial: 1e12 },
    { kind: 'balance', id: `owner-credits-${k % 10}`, units: 25, initial: 1e12 },
  ];
}

async function measure(label: string, store: BudgetStore, inFlight: number, seconds: number): Promise<void> {
  let done = 0;
  let refused = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        if (!(await store.charge(counters(done++))).admitted) refused++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(34)} ${Math.round(done / elapsed)
      .toLocaleString('en')
      .padStart(9)} charges/s${refused ? ` (${refused} refused)` : ''}`,
  );
}

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const memory = new BudgetStore({ timeoutMs: 50 });
  await measure('memory, 1 in flight', memory, 1, seconds);
  await measure('memory, 64 in flight', memory, 64, seconds);
  memory.stop();

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
  await redis.ping();
  // The floor: a bare PING, one at a time (the machine's own round trip to Redis).
  let pings = 0;
  const pingEnd = performance.now() + seconds * 1000;
  while (performance.now() < pingEnd) {
    await redis.ping();
    pings++;
  }
  console.log(
    `${'PING alone, 1 in flight'.padEnd(34)} ${Math.round(pings / seconds)
      .toLocaleString('en')
      .padStart(9)} round trips/s`,
  );
  const prefix = `keygate:bench:budget:${randomBytes(4).toString('hex')}:`;
  const shared = new BudgetStore({ redis, timeoutMs: 1000, keyPrefix: prefix });
  await shared.peek(counters(0));
  await measure('redis, 1 in flight', shared, 1, seconds);
  await measure('redis, 64 in flight', shared, 64, seconds);
  console.log(`(fallbacks to memory during the Redis runs: ${shared.degraded ? 'Redis marked down!' : 'none'})`);
  shared.stop();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
