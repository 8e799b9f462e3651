import type { BudgetStore } from '../budgets/budget-store';
import type { Admission, BudgetTicket, Counter, CounterState } from '../budgets/budget-types';
import { CostEstimatedTooExpensiveError, QuotaExceededError, RateLimitedError, UnauthenticatedError } from '../errors/app-errors';
import type { BudgetStatus, LimitStatus } from '../identity/budget-status';
import type { BudgetPlan, Payer } from '../limits/budget-plan';
import type { BudgetPlans } from '../limits/budget-plans';
import type { CreditsLedger } from '../limits/credits-ledger';
import type { LimitSpec } from '../limits/limit-spec';
import { LimitUnit } from '../limits/limit-unit';
import { nextRefill } from '../limits/refill-periods';
import { type BudgetFeedback, FeedbackTemplate } from './budget-feedback';

/** What one request counts in each unit. */
export interface RequestUnits {
  requests: number;
  rootFields: number;
  cost: number;
}

export const NO_UNITS: RequestUnits = { requests: 0, rootFields: 0, cost: 0 };

/**
 * One counter of a plan (a limit of a payer: a window; or a payer's credits: a balance), as its
 * requests name it: made once per plan, shared by its requests.
 */
interface Entry {
  payer: Payer;
  /** Absent for credits. */
  limit?: LimitSpec;
  /** As the client sees it (`parent.default`); absent for credits. */
  name?: string;
  id: string;
  /** A balance's id names its refill period: made again from this time on. */
  validUntil: number;
}

/** What every request of one plan shares. */
interface PlanParts {
  entries: Entry[];
  /** The lowest cap of the key and its ancestors (MAX_OPERATION_COST for those that set none). */
  maxOperationCost: number;
  feedback: FeedbackTemplate;
}

/** The admission phase's decision for a key's request, kept until the request settles. */
export interface BudgetVerdict {
  plan: BudgetPlan;
  /** The plan's counters (shared by its requests), and what this request asks of each. */
  entries: readonly Entry[];
  counters: Counter[];
  /** Per entry, after the charge. */
  states: CounterState[];
  /** Absent when nothing was charged (a dry run). */
  ticket?: BudgetTicket;
  /** What was reserved: the estimate. */
  units: RequestUnits;
  estimated: number;
  nodeCount: number;
  /** Set when the request does not fit: it runs nothing and was charged nothing. */
  refusal?: Error;
}

function unitsOf(unit: LimitUnit, units: RequestUnits): number {
  return unit === LimitUnit.REQUESTS ? units.requests : unit === LimitUnit.ROOT_FIELDS ? units.rootFields : units.cost;
}

function displayName(payer: Payer, limit: LimitSpec): string {
  if (payer.of === 'KEY') return limit.name;
  if (payer.of === 'USER') return `user.${limit.name}`;
  return payer.depth === 1 ? `parent.${limit.name}` : `parent${payer.depth}.${limit.name}`;
}

/**
 * Decides whether a key's request may run against every budget it pays into (its own limits and
 * credits, every ancestor key's, its owner's), all at once and all or nothing, and settles it
 * after the response: the estimate minus the actual units goes back to the limits, credits are
 * charged the actual cost. One store call per request (one Redis round trip), plus one more
 * only when a credit balance has to be loaded from PostgreSQL first.
 */
export class BudgetAdmission {
  constructor(
    private readonly store: BudgetStore,
    private readonly plans: BudgetPlans,
    private readonly ledger: CreditsLedger,
    /** MAX_OPERATION_COST: the cap of a key that sets none. */
    readonly defaultMaxOperationCost: number,
    private readonly onRefused: () => void = () => undefined,
  ) {}

  /** Plans are cached (limits/budget-plans.ts) and replaced when they change: their counters are named once. */
  private readonly parts = new WeakMap<BudgetPlan, PlanParts>();

  /** The key's plan; a key deleted since it authenticated is refused as invalid. */
  plan(keyId: string): BudgetPlan | Promise<BudgetPlan> {
    const found = this.plans.get(keyId);
    const check = (plan: BudgetPlan | null) => {
      if (!plan) throw new UnauthenticatedError('Invalid client key', 'KEY_INVALID');
      return plan;
    };
    return found instanceof Promise ? found.then(check) : check(found);
  }

  /**
   * Charges the estimate, or (dryRun) prices it without charging. When it does not fit, the
   * verdict carries the refusal (RATE_LIMITED for the first limit that cannot hold it, or
   * QUOTA_EXCEEDED) and nothing was charged; an estimate above the key's cap throws
   * COST_ESTIMATED_TOO_EXPENSIVE before any budget is asked.
   */
  async admit(plan: BudgetPlan, units: RequestUnits, estimate: { cost: number; nodeCount: number }, dryRun: boolean): Promise<BudgetVerdict> {
    const { entries, maxOperationCost: max } = this.partsOf(plan);
    if (!dryRun && estimate.cost > max) throw new CostEstimatedTooExpensiveError(estimate.cost, max);
    const counters = this.counters(entries, units);
    const ask = (list: Counter[]) => (dryRun ? this.store.peek(list) : this.store.charge(list));
    let admission = await ask(counters);
    if (admission.missing?.length) {
      await Promise.all(admission.missing.map(async (i) => ((counters[i] as { initial?: number }).initial = await this.ledger.load(entries[i].payer))));
      admission = await ask(counters);
    }
    const verdict: BudgetVerdict = {
      plan,
      entries,
      counters,
      states: admission.states,
      ticket: dryRun || !admission.admitted ? undefined : admission.ticket,
      units,
      estimated: estimate.cost,
      nodeCount: estimate.nodeCount,
    };
    // A dry run's states are the store's peek: what remains now, nothing subtracted.
    if (!dryRun && !admission.admitted) {
      verdict.refusal = this.refusal(verdict, admission);
      this.onRefused();
    }
    return verdict;
  }

  /** What remains, charging nothing: for responses that never reached admission. */
  async peek(plan: BudgetPlan): Promise<BudgetVerdict> {
    return this.admit(plan, NO_UNITS, { cost: 0, nodeCount: 0 }, true);
  }

  /**
   * Gives back what the request reserved but did not use, charges credits the actual cost, and
   * returns what remains. Not awaited by the response: refunds are sent to the store in the background.
   */
  settle(verdict: BudgetVerdict, actual: RequestUnits): CounterState[] {
    if (!verdict.ticket) return verdict.states;
    const { entries, counters } = verdict;
    let refunds: number[] | undefined;
    for (let i = 0; i < entries.length; i++) {
      const { limit, payer } = entries[i];
      const reserved = counters[i].units;
      if (!limit) this.ledger.debit(payer, Math.min(actual.cost, reserved));
      const refund = reserved - (limit ? unitsOf(limit.unit, actual) : actual.cost);
      if (refund > 0) (refunds ??= new Array<number>(entries.length).fill(0))[i] = refund;
    }
    if (!refunds) return verdict.states;
    this.store.refund(verdict.ticket, refunds);
    return verdict.states.map((s, i) => (refunds[i] > 0 ? { ...s, remaining: s.remaining + refunds[i] } : s));
  }

  /** `extensions.cost` and the RateLimit headers of a settled request (`states`: settle's answer). */
  feedback(verdict: BudgetVerdict, states: readonly CounterState[], actualCost: number): BudgetFeedback {
    return this.partsOf(verdict.plan).feedback.feedback(states, verdict.estimated, actualCost);
  }

  /** The client's view of a verdict: `extensions.cost` and `Query.rateLimit`. */
  status(verdict: BudgetVerdict, states: readonly CounterState[]): BudgetStatus {
    const limits: LimitStatus[] = [];
    let credits: BudgetStatus['credits'] = null;
    verdict.entries.forEach(({ payer, limit, name }, i) => {
      const state = states[i];
      if (limit) {
        limits.push({
          name: name!,
          unit: limit.unit,
          limit: limit.limit,
          periodSeconds: limit.periodSeconds,
          remaining: Math.max(0, state.remaining),
          // The window counts one slot more than a period: never tell a client to wait longer than the period.
          resetSeconds: Math.min(state.resetSeconds, limit.periodSeconds),
          limitOf: payer.of,
        });
      } else if (!credits || state.remaining < credits.remaining) {
        credits = { remaining: Math.max(0, state.remaining), limitOf: payer.of };
      }
    });
    return { estimated: verdict.estimated, nodeCount: verdict.nodeCount, limits, credits };
  }

  /** What this request asks of each of the plan's counters. */
  private counters(entries: readonly Entry[], units: RequestUnits): Counter[] {
    const now = Date.now();
    const counters = new Array<Counter>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const { limit } = entry;
      if (limit) {
        counters[i] = { kind: 'window', id: entry.id, limit: limit.limit, periodSeconds: limit.periodSeconds, units: unitsOf(limit.unit, units) };
        continue;
      }
      if (now >= entry.validUntil) {
        const refill = entry.payer.credits?.refill;
        entry.id = this.ledger.balanceId(entry.payer, now);
        entry.validUntil = refill ? nextRefill(refill, now) : Infinity;
      }
      counters[i] = { kind: 'balance', id: entry.id, units: units.cost };
    }
    return counters;
  }

  /** What a plan's requests share, made once per plan: its counters (a balance's name changes at each refill), cap and feedback. */
  private partsOf(plan: BudgetPlan): PlanParts {
    let parts = this.parts.get(plan);
    if (!parts) {
      const entries: Entry[] = [];
      for (const payer of plan.payers) {
        const prefix = payer.of === 'USER' ? 'u' : 'k';
        // The payer is the counter's group: its limits and credits are read and written together.
        for (const limit of payer.limits)
          entries.push({ payer, limit, name: displayName(payer, limit), id: `${prefix}:${payer.id}|${limit.name}`, validUntil: Infinity });
        if (payer.credits) entries.push({ payer, id: '', validUntil: -Infinity });
      }
      const limits = entries.map(({ name, limit }) => limit && { name: name!, unit: limit.unit, limit: limit.limit, periodSeconds: limit.periodSeconds });
      parts = {
        entries,
        maxOperationCost: Math.min(...plan.maxOperationCosts.map((cap) => cap ?? this.defaultMaxOperationCost)),
        feedback: new FeedbackTemplate(limits),
      };
      this.parts.set(plan, parts);
    }
    return parts;
  }

  private refusal(verdict: BudgetVerdict, admission: Admission): Error {
    const index = admission.refusedIndex ?? 0;
    const entry = verdict.entries[index];
    // The same RateLimit text as an admitted request's, from the plan's template (nothing ran: no actual cost).
    const { headers } = this.partsOf(verdict.plan).feedback.feedback(admission.states, verdict.estimated, 0);
    if (!entry.limit) {
      const refill = entry.payer.credits?.refill;
      const retry = refill ? Math.max(1, Math.ceil((nextRefill(refill, Date.now()) - Date.now()) / 1000)) : null;
      return new QuotaExceededError(entry.payer.of, retry, headers);
    }
    const retryAfter = Math.min(entry.limit.periodSeconds, Math.max(1, admission.retryAfterSeconds ?? 1));
    const whose = entry.payer.of === 'KEY' ? 'this client key' : entry.payer.of === 'USER' ? "the key's owner" : 'a key above this one';
    const unit = entry.limit.unit === LimitUnit.COST ? 'cost' : entry.limit.unit === LimitUnit.ROOT_FIELDS ? 'root fields' : 'requests';
    return new RateLimitedError(
      retryAfter,
      headers,
      `Rate limit exceeded: ${entry.limit.limit} ${unit} per ${entry.limit.periodSeconds} s for ${whose}; this request needs ${verdict.counters[index].units}`,
      { name: entry.limit.name, of: entry.payer.of },
    );
  }
}
