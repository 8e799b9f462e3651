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
      throw new LoosenedBudgetError('limits', 'These limits may only be tightened here (no limit removed, no more units, no shorter period, the same unit)');
    }
  }
}

export function checkMaxCostNotLoosened(before: number, after: number): void {
  if (after > before) throw new LoosenedBudgetError('maxOperationCost', 'maxOperationCost may only be lowered here');
}

function refillLooser(before: RefillSpec | null, after: RefillSpec | null): boolean {
  if (!after) return false;
  if (!before) return true;
  // Another interval or day moves the next refill (earlier, or more often): only the amount may go down.
  return after.amount > before.amount || after.interval !== before.interval || (after.dayOfMonth ?? null) !== (before.dayOfMonth ?? null);
}

/** Credits: a key may lower what remains or add a quota, never raise, refill more, or remove one. */
export function checkCreditsNotLoosened(before: CreditsSpec | null, after: { remaining: number; refill: RefillSpec | null } | null): void {
  if (!before) return;
  if (!after || after.remaining > before.remaining || refillLooser(before.refill, after.refill)) {
    throw new LoosenedBudgetError('credits', 'These credits may only be lowered here (no more remaining, no larger or earlier refill, not removed)');
  }
}
