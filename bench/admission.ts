import { BudgetStore } from '../src/budgets/budget-store';
import { BudgetAdmission } from '../src/execution/budget-admission';
import type { BudgetPlan, Payer } from '../src/limits/budget-plan';
import type { BudgetPlans } from '../src/limits/budget-plans';
import type { CreditsLedger } from '../src/limits/credits-ledger';
import { LimitUnit } from '../src/limits/limit-unit';
import { rateLimitHeaders } from '../src/rate-limiting/rate-limit-headers';

/**
 * The admission phase's own CPU per request, without HTTP or Apollo: plan, charge, settle, the
 * client's status and the RateLimit headers, in memory, for the bench's one-limit key and for a
 * key paying into three limits, credits and its parent's limit and credits (issue #21's pair).
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
  balanceId: (p: Payer) => `c:${p.of === 'USER' ? 'u' : 'k'}:${p.id}:0`,
  debit: () => undefined,
  load: async () => NEVER,
} as unknown as CreditsLedger;

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const store = new BudgetStore({ timeoutMs: 1000 });
  const results: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, plan] of Object.entries(PLANS)) {
      const plans = { get: () => plan } as unknown as BudgetPlans;
      const admission = new BudgetAdmission(store, plans, ledger, 25_000);
      const units = { requests: 1, rootFields: 1, cost: 5 };
      const estimate = { cost: 5, nodeCount: 5 };
      let n = 0;
      const end = performance.now() + seconds * 1000;
      const started = performance.now();
      while (performance.now() < end) {
        for (let i = 0; i < 100; i++, n++) {
          const found = admission.plan(plan.keyId);
          const verdict = await admission.admit(found instanceof Promise ? await found : found, units, estimate, false);
          const before = admission.status(verdict, verdict.states);
          const after = admission.status(verdict, admission.settle(verdict, { requests: 1, rootFields: 1, cost: 4 }));
          if (!rateLimitHeaders(after.limits).ratelimit || !before.limits.length) throw new Error('no headers');
        }
      }
      const micros = ((performance.now() - started) * 1000) / n;
      results[name] = Math.min(results[name] ?? Infinity, micros);
    }
  }
  store.stop();
  for (const [name, micros] of Object.entries(results)) console.log(`${name.padEnd(34)} ${micros.toFixed(2).padStart(7)} µs per request (best of 3)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
