import { checkIntRange } from '../common/validation';
import { BadUserInputError } from '../errors/app-errors';
import { type CreditsSpec, DEFAULT_LIMIT_NAME, type LimitSpec, type RefillSpec } from './limit-spec';
import { LimitUnit } from './limit-unit';

const NAME = /^[a-z0-9-]{1,32}$/;
const MAX_LIMITS = 10;
const MAX_LIMIT = 1_000_000_000;
const MAX_CREDITS = 1_000_000_000_000;
const MAX_REFILL = 2_000_000_000;
export const MAX_PERIOD_SECONDS = 86_400;
const UNITS = new Set<string>(Object.values(LimitUnit));

/** Named limits as given in an input: checked whole, each failure naming its place (`limits[2].name`). */
export function checkLimits(limits: readonly LimitSpec[], field = 'limits'): LimitSpec[] {
  if (limits.length > MAX_LIMITS) throw new BadUserInputError(field, `at most ${MAX_LIMITS} limits`);
  const seen = new Set<string>();
  return limits.map((given, i) => {
    const at = `${field}[${i}]`;
    // The name itself is not repeated back: it is client text.
    if (typeof given.name !== 'string' || !NAME.test(given.name)) throw new BadUserInputError(`${at}.name`, 'must match [a-z0-9-]{1,32}');
    if (given.name === DEFAULT_LIMIT_NAME) throw new BadUserInputError(`${at}.name`, '`default` is rateLimitPerMinute: set that instead');
    if (seen.has(given.name)) throw new BadUserInputError(`${at}.name`, 'must be unique in the list');
    seen.add(given.name);
    if (!UNITS.has(given.unit)) throw new BadUserInputError(`${at}.unit`, 'must be REQUESTS, ROOT_FIELDS or COST');
    return {
      name: given.name,
      unit: given.unit,
      limit: checkIntRange(given.limit, `${at}.limit`, 1, MAX_LIMIT),
      periodSeconds: checkIntRange(given.periodSeconds, `${at}.periodSeconds`, 1, MAX_PERIOD_SECONDS),
    };
  });
}

export function checkMaxOperationCost(value: number, field = 'maxOperationCost'): number {
  return checkIntRange(value, field, 1, MAX_LIMIT);
}

export function checkCreditsAmount(value: number, field: string): number {
  return checkIntRange(value, field, 0, MAX_CREDITS);
}

export interface CreditsGiven {
  remaining: number;
  refill?: { amount: number; interval: string; dayOfMonth?: number | null } | null;
}

/** A quota as given in an input, made whole: a refill's day defaults to the 1st, DAILY has none. */
export function checkCredits(given: CreditsGiven, field = 'credits'): { remaining: number; refill: RefillSpec | null } {
  const remaining = checkCreditsAmount(given.remaining, `${field}.remaining`);
  if (!given.refill) return { remaining, refill: null };
  const { interval } = given.refill;
  if (interval !== 'DAILY' && interval !== 'MONTHLY') throw new BadUserInputError(`${field}.refill.interval`, 'must be DAILY or MONTHLY');
  const amount = checkIntRange(given.refill.amount, `${field}.refill.amount`, 1, MAX_REFILL);
  if (interval === 'DAILY') {
    if (given.refill.dayOfMonth != null) throw new BadUserInputError(`${field}.refill.dayOfMonth`, 'applies to MONTHLY refills only');
    return { remaining, refill: { amount, interval, dayOfMonth: null } };
  }
  const dayOfMonth = checkIntRange(given.refill.dayOfMonth ?? 1, `${field}.refill.dayOfMonth`, 1, 31);
  return { remaining, refill: { amount, interval, dayOfMonth } };
}

/** The stored form of a key's or user's credits, or null (unlimited). */
export function creditsOf(row: {
  creditsRemaining: string | number | null;
  creditsRefill: RefillSpec | null;
  creditsRefilledAt: Date | null;
}): CreditsSpec | null {
  if (row.creditsRemaining === null || row.creditsRemaining === undefined) return null;
  return { remaining: Number(row.creditsRemaining), refill: row.creditsRefill ?? null, refilledAt: row.creditsRefilledAt ?? null };
}
