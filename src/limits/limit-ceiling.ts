import { ForbiddenError } from '../errors/app-errors';
import type { CreditsSpec, LimitSpec, RefillSpec } from './limit-spec';

/** FORBIDDEN about one input field: no scope would allow it, so requiredScopes is empty and `field` says what. */
export class LoosenedBudgetError extends ForbiddenError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super([], message);
  }
  override details() {
    return { ...super.details(), field: this.field };
  }
}

/**
 * A client key may only make budgets stricter (only users may loosen them): every limit it had
 * stays, with the same unit, no more units and no shorter period; new limits may be added.
 */
export function checkLimitsNotLoosened(before: readonly LimitSpec[], after: readonly LimitSpec[]): void {
  for (const old of before) {
    const next = after.find((l) => l.name === old.name);
    if (!next || next.unit !== old.unit || next.limit > old.limit || next.periodSeconds < old.periodSeconds) {
      throw new LoosenedBudgetError('limits', "A client key cannot remove or loosen a key's limits (more units, a shorter period, another unit); a user can");
    }
  }
}

export function checkMaxCostNotLoosened(before: number, after: number): void {
  if (after > before) throw new LoosenedBudgetError('maxOperationCost', "A client key cannot raise a key's maxOperationCost; a user can");
}

function refillLooser(before: RefillSpec | null, after: RefillSpec | null): boolean {
  if (!after) return false;
  if (!before) return true;
  // A daily refill of the same amount gives more than a monthly one.
  return after.amount > before.amount || (after.interval === 'DAILY' && before.interval === 'MONTHLY');
}

/** Credits: a key may lower what remains or add a quota, never raise, refill more, or remove one. */
export function checkCreditsNotLoosened(before: CreditsSpec | null, after: { remaining: number; refill: RefillSpec | null } | null): void {
  if (!before) return;
  if (!after || after.remaining > before.remaining || refillLooser(before.refill, after.refill)) {
    throw new LoosenedBudgetError('credits', "A client key cannot add to, refill more of, or remove a key's credits; a user can");
  }
}
