import { BudgetStore } from '../../src/budgets/budget-store';
import { BudgetAdmission } from '../../src/execution/budget-admission';
import type { BudgetPlan, Payer } from '../../src/limits/budget-plan';
import type { BudgetPlans } from '../../src/limits/budget-plans';
import type { CreditsLedger } from '../../src/limits/credits-ledger';
import { LimitUnit } from '../../src/limits/limit-unit';
import type { LimitStatus } from '../../src/identity/budget-status';

const credits = (remaining: number) => ({ remaining, refill: null, refilledAt: null });
const payer = (of: Payer['of'], id: string, depth: number, limits: Payer['limits'], remaining?: number): Payer => ({
  of,
  id,
  depth,
  limits,
  credits: remaining === undefined ? null : credits(remaining),
});
const ledger = {
  balanceId: (p: Payer) => `${p.of === 'USER' ? 'u' : 'k'}:${p.id}|c:0`,
  debit: () => undefined,
  load: async (p: Payer) => p.credits?.remaining ?? 0,
} as unknown as CreditsLedger;

/** A key with named limits, credits, a parent and an owner: every kind of item the feedback writes. */
const plan: BudgetPlan = {
  keyId: 'k1',
  maxOperationCosts: [null, null],
  payers: [
    payer(
      'KEY',
      'k1',
      0,
      [
        { name: 'default', unit: LimitUnit.ROOT_FIELDS, limit: 10, periodSeconds: 60 },
        { name: 'cost', unit: LimitUnit.COST, limit: 50, periodSeconds: 3600 },
      ],
      30,
    ),
    payer('PARENT_KEY', 'k0', 1, [{ name: 'default', unit: LimitUnit.REQUESTS, limit: 4, periodSeconds: 1 }], 100),
    payer('USER', 'u1', -1, [{ name: 'daily', unit: LimitUnit.COST, limit: 1000, periodSeconds: 86_400 }]),
  ],
};

/** The IETF draft's fields as its text describes them, one item per limit: what the template must write. */
function rateLimitHeaders(limits: readonly LimitStatus[]): Record<string, string> {
  if (limits.length === 0) return {};
  return {
    'ratelimit-policy': limits.map((l) => `"${l.name}";q=${l.limit};w=${l.periodSeconds}`).join(', '),
    ratelimit: limits.map((l) => `"${l.name}";r=${l.remaining};t=${l.resetSeconds}`).join(', '),
  };
}

/**
 * `extensions.cost` and the RateLimit headers are written from text made once per plan
 * (execution/budget-feedback.ts): they must say exactly what the client's status says, request
 * after request, as limits fill up, refuse and are refunded.
 */
describe('BudgetAdmission.feedback', () => {
  let store: BudgetStore;
  beforeEach(() => {
    store = new BudgetStore({ timeoutMs: 1000 });
  });
  afterEach(() => store.stop());

  it('tells what status() and the RateLimit headers of its limits tell, request after request', async () => {
    const admission = new BudgetAdmission(store, { get: () => plan } as unknown as BudgetPlans, ledger, 25_000);
    let seen = 0;
    for (let i = 0; i < 12; i++) {
      const cost = 1 + (i % 5);
      const verdict = await admission.admit(plan, { requests: 1, rootFields: 1 + (i % 2), cost }, { cost, nodeCount: cost }, false);
      const actual = { requests: 1, rootFields: 1, cost: Math.max(0, cost - 2) };
      const states = admission.settle(verdict, actual);
      const status = admission.status(verdict, states);
      const { cost: extension, headers } = admission.feedback(verdict, states, actual.cost);
      expect(JSON.parse(extension.json)).toEqual({
        estimated: cost,
        actual: actual.cost,
        limits: status.limits.map(({ name, unit, limit, remaining, resetSeconds }) => ({ name, unit, limit, remaining, resetSeconds })),
        credits: status.credits && { remaining: status.credits.remaining },
      });
      expect(headers).toEqual(rateLimitHeaders(status.limits));
      if (verdict.refusal) seen++;
    }
    // The parent's 4 requests per second ran out: refusals were described too.
    expect(seen).toBeGreaterThan(0);
    expect(
      JSON.parse(admission.feedback(await admission.peek(plan), (await admission.peek(plan)).states, 0).cost.json).limits.map((l: { name: string }) => l.name),
    ).toEqual(['default', 'cost', 'parent.default', 'user.daily']);
  });

  it('writes large credits exactly, as JSON.stringify would', async () => {
    const rich: BudgetPlan = { keyId: 'k3', maxOperationCosts: [null], payers: [payer('KEY', 'k3', 0, [], 9_007_199_254_000_123)] };
    const admission = new BudgetAdmission(store, { get: () => rich } as unknown as BudgetPlans, ledger, 25_000);
    const verdict = await admission.admit(rich, { requests: 1, rootFields: 1, cost: 3 }, { cost: 3, nodeCount: 3 }, false);
    const { cost } = admission.feedback(verdict, admission.settle(verdict, { requests: 1, rootFields: 1, cost: 3 }), 3);
    expect(cost.json).toContain('"credits":{"remaining":9007199254000120}');
  });

  it('writes no headers and null credits for a plan without limits or credits', async () => {
    const bare: BudgetPlan = { keyId: 'k2', maxOperationCosts: [null], payers: [payer('KEY', 'k2', 0, [])] };
    const admission = new BudgetAdmission(store, { get: () => bare } as unknown as BudgetPlans, ledger, 25_000);
    const verdict = await admission.admit(bare, { requests: 1, rootFields: 1, cost: 2 }, { cost: 2, nodeCount: 2 }, false);
    const { cost, headers } = admission.feedback(verdict, admission.settle(verdict, { requests: 1, rootFields: 1, cost: 2 }), 2);
    expect(JSON.parse(cost.json)).toEqual({ estimated: 2, actual: 2, limits: [], credits: null });
    expect(headers).toEqual({});
  });
});
