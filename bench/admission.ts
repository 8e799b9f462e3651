import { Redis } from 'ioredis';
import { BudgetStore } from '../src/budgets/budget-store';
import { BudgetAdmission } from '../src/execution/budget-admission';
import type { BudgetPlan, Payer } from '../src/limits/budget-plan';
import type { BudgetPlans } from '../src/limits/budget-plans';
import type { CreditsLedger } from '../src/limits/credits-ledger';
import { LimitUnit } from '../src/limits/limit-unit';
import { cpuSeconds } from './spawn-server';

/**
 * The admission phase's own CPU per request, without HTTP or Apollo: plan, charge, settle, the
 * client's status and the RateLimit headers, in memory and (with REDIS_URL, default the local
 * Redis) against Redis with 32 requests in flight, for the bench's one-limit key and for a key
 * paying into three limits, credits and its parent's limit and credits (issue #21's pair).
 * `npm run build:tools && node dist/bench/admission.js`
 */
const NEVER = 1e12;
const limit = (name: string, unit: LimitUnit, periodSeconds: number) => ({ name, unit, limit: NEVER, periodSeconds });
const credits = { remaining: NEVER, refill: null, refilledAt: null };

const payer = (of: Payer['of'], id: string, depth: number, limits: Payer['limits'], withCredits: boolean): Payer => ({
  of,
  id,
  depth,
  limits,
  credits: withCredits ? credits : null,
});

const PLANS: Record<string, BudgetPlan> = {
  'one limit': { keyId: 'a', maxOperationCosts: [null], payers: [payer('KEY', 'a', 0, [limit('default', LimitUnit.ROOT_FIELDS, 60)], false)] },
  'three limits + credits + parent': {
    keyId: 'b',
    maxOperationCosts: [null, null],
    payers: [
      payer('KEY', 'b', 0, [limit('default', LimitUnit.ROOT_FIELDS, 60), limit('cost', LimitUnit.COST, 3600), limit('requests', LimitUnit.REQUESTS, 60)], true),
      payer('PARENT_KEY', 'p', 1, [limit('default', LimitUnit.ROOT_FIELDS, 60)], true),
    ],
  },
};

/** The ledger's per-request part (balance ids, debits) without PostgreSQL: balances start full. */
const ledger = {
  balanceId: (p: Payer) => `${p.of === 'USER' ? 'u' : 'k'}:${p.id}|c:0`,
  debit: () => undefined,
  load: async () => NEVER,
} as unknown as CreditsLedger;

/** The local Redis server's pid (its CPU is part of a request's cost on this machine), when /proc shows it. */
async function redisPid(redis: Redis): Promise<number | undefined> {
  const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  return Number.isFinite(cpuSeconds(pid)) ? pid : undefined;
}

/** Admits, settles and reports `n` requests of `plan` from each of `inFlight` concurrent callers; answers the process's CPU µs per request and that of Redis. */
async function run(store: BudgetStore, plan: BudgetPlan, inFlight: number, seconds: number, pid?: number): Promise<[number, number]> {
  const plans = { get: () => plan } as unknown as BudgetPlans;
  const admission = new BudgetAdmission(store, plans, ledger, 25_000);
  const units = { requests: 1, rootFields: 1, cost: 5 };
  const estimate = { cost: 5, nodeCount: 5 };
  // The actual cost is the estimate, as for the HTTP bench's query: nothing to refund.
  const used = { requests: 1, rootFields: 1, cost: 5 };
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  const redisBefore = pid ? cpuSeconds(pid) : 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        const found = admission.plan(plan.keyId);
        const verdict = await admission.admit(found instanceof Promise ? await found : found, units, estimate, false);
        if (!verdict.ticket) throw new Error('refused');
        const { cost, headers } = admission.feedback(verdict, admission.settle(verdict, used), used.cost);
        if (!headers.ratelimit || !cost.json) throw new Error('no feedback');
        n++;
      }
    }),
  );
  const spent = process.cpuUsage(cpu);
  return [(spent.user + spent.system) / n, pid ? ((cpuSeconds(pid) - redisBefore) * 1e6) / n : 0];
}

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableAutoPipelining: true });
  const withRedis = await redis.connect().then(
    () => true,
    () => false,
  );
  // BENCH_STORES=redis (or memory): only that store, when profiling one.
  const only = process.env.BENCH_STORES;
  const stores: Array<[string, BudgetStore, number]> = only === 'redis' ? [] : [['in memory, one at a time', new BudgetStore({ timeoutMs: 1000 }), 1]];
  if (withRedis && only !== 'memory') {
    stores.push(['Redis, 32 in flight', new BudgetStore({ redis, timeoutMs: 1000, keyPrefix: `bench:admission:${process.pid}:` }), 32]);
    // The store registers with Redis in the background: wait until it uses it.
    for (let i = 0; i < 100 && stores[stores.length - 1][1].degraded; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const pid = withRedis ? await redisPid(redis) : undefined;
  const results: Record<string, [number, number]> = {};
  for (let round = 0; round < 3; round++) {
    for (const [storeName, store, inFlight] of stores) {
      for (const [name, plan] of Object.entries(PLANS)) {
        const [micros, redisMicros] = await run(store, plan, inFlight, seconds, inFlight > 1 ? pid : undefined);
        const id = `${name}, ${storeName}`;
        if (micros < (results[id]?.[0] ?? Infinity)) results[id] = [micros, redisMicros];
      }
    }
  }
  for (const [, store] of stores) store.stop();
  if (withRedis) {
    const keys = await redis.keys(`bench:admission:${process.pid}:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
  console.log('| admission + settle + status + headers | process CPU µs per request (best of 3) | Redis CPU µs per request |');
  console.log('| --- | ---: | ---: |');
  for (const [id, [micros, redisMicros]] of Object.entries(results)) {
    console.log(`| ${id} | ${micros.toFixed(2)} | ${redisMicros ? redisMicros.toFixed(1) : '-'} |`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
