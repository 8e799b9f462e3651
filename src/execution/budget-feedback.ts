import type { CounterState } from '../budgets/budget-types';
import { RawJson } from '../common/raw-json';
import { rateLimitPolicy } from '../rate-limiting/rate-limit-headers';

/** One limit of a plan as the client is told it (absent for credits). */
export interface FeedbackLimit {
  name: string;
  unit: string;
  limit: number;
  periodSeconds: number;
}

/** What a request tells its client of its budgets: `extensions.cost` and the RateLimit headers. */
export interface BudgetFeedback {
  cost: RawJson;
  headers: Record<string, string>;
}

/**
 * The parts of a plan's feedback that are the same for all of its requests, made once per plan:
 * each limit's JSON up to its counts and its RateLimit item's name, and the RateLimit-Policy.
 * A request then only writes its numbers between them.
 */
export class FeedbackTemplate {
  private readonly json: Array<string | undefined>;
  private readonly items: Array<string | undefined>;
  private readonly policy: string;

  /** `limits`: per counter of the plan, in order; undefined for a credit balance. */
  constructor(private readonly limits: ReadonlyArray<FeedbackLimit | undefined>) {
    this.json = limits.map((l) => l && `{"name":${JSON.stringify(l.name)},"unit":${JSON.stringify(l.unit)},"limit":${l.limit},"remaining":`);
    this.items = limits.map((l) => l && `"${l.name}";r=`);
    const shown = limits.filter((l): l is FeedbackLimit => l !== undefined);
    this.policy = shown.length ? rateLimitPolicy(shown) : '';
  }

  /**
   * `states`: per counter, after the charge and the refund. The numbers are those of
   * BudgetAdmission.status(): a window's reset is never told as longer than its period, and
   * the credits shown are the smallest balance.
   */
  feedback(states: readonly CounterState[], estimated: number, actual: number): BudgetFeedback {
    let limits = '';
    let header = '';
    let credits: number | undefined;
    for (let i = 0; i < this.limits.length; i++) {
      const limit = this.limits[i];
      const remaining = Math.max(0, states[i].remaining);
      if (!limit) {
        if (credits === undefined || remaining < credits) credits = remaining;
        continue;
      }
      const reset = Math.max(0, Math.min(states[i].resetSeconds, limit.periodSeconds));
      limits += `${limits ? ',' : ''}${this.json[i]}${number(remaining)},"resetSeconds":${number(reset)}}`;
      header += `${header ? ', ' : ''}${this.items[i]}${remaining};t=${reset}`;
    }
    const cost = new RawJson(
      `{"estimated":${number(estimated)},"actual":${number(actual)},"limits":[${limits}],"credits":${credits === undefined ? 'null' : `{"remaining":${number(credits)}}`}}`,
    );
    return { cost, headers: header ? { 'ratelimit-policy': this.policy, ratelimit: header } : {} };
  }
}

const SMALL = 2 ** 31 - 1;

/**
 * As JSON.stringify writes a number. A large whole number (credits run to 10^12 and more) is
 * written as two small ones: V8 turns small integers into text several times faster than doubles.
 */
function number(n: number): string {
  if (n > SMALL && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n)) {
    const high = Math.floor(n / 1e9);
    const low = n - high * 1e9;
    return `${high}${String(low).padStart(9, '0')}`;
  }
  return Number.isFinite(n) ? String(n) : 'null';
}
