import { checkCreditsNotLoosened, checkLimitsNotLoosened, checkMaxCostNotLoosened } from '../limits/limit-ceiling';
import { checkCredits, checkLimits, checkMaxOperationCost, creditsOf } from '../limits/limit-rules';
import type { LimitSpec, RefillSpec } from '../limits/limit-spec';
import type { ClientKey } from './client-key.entity';
import type { BudgetData } from './client-keys.types';

/** A key's budget settings as checked from an input; undefined: not given (an update leaves it). */
export interface CheckedBudget {
  limits?: LimitSpec[];
  maxOperationCost?: number | null;
  credits?: { remaining: number; refill: RefillSpec | null } | null;
}

type BudgetColumns = Pick<ClientKey, 'namedLimits' | 'maxOperationCostSetting' | 'creditsRemaining' | 'creditsRefill' | 'creditsRefilledAt'>;

/** Checks the shape of what was given (outside any transaction): each failure names its field. */
export function checkBudget(data: BudgetData): CheckedBudget {
  const checked: CheckedBudget = {};
  if (data.limits !== undefined) checked.limits = checkLimits(data.limits ?? []);
  if (data.maxOperationCost !== undefined) checked.maxOperationCost = data.maxOperationCost === null ? null : checkMaxOperationCost(data.maxOperationCost);
  if (data.credits !== undefined) checked.credits = data.credits === null ? null : checkCredits(data.credits);
  return checked;
}

/** The columns of a new key. */
export function newBudgetColumns(checked: CheckedBudget): BudgetColumns {
  return {
    namedLimits: checked.limits ?? [],
    maxOperationCostSetting: checked.maxOperationCost ?? null,
    creditsRemaining: checked.credits ? String(checked.credits.remaining) : null,
    creditsRefill: checked.credits?.refill ?? null,
    creditsRefilledAt: checked.credits?.refill ? new Date() : null,
  };
}

/**
 * The columns an update changes. A client key may only make a key's budgets stricter (SPEC
 * "Who pays"): its limits, cap and credits are measured against the key's current ones.
 */
export function updatedBudgetColumns(key: ClientKey, checked: CheckedBudget, byKey: boolean, defaultMax: number): Partial<BudgetColumns> {
  const next: Partial<BudgetColumns> = {};
  if (checked.limits !== undefined) {
    if (byKey) checkLimitsNotLoosened(key.namedLimits ?? [], checked.limits);
    next.namedLimits = checked.limits;
  }
  if (checked.maxOperationCost !== undefined) {
    if (byKey) checkMaxCostNotLoosened(key.maxOperationCostSetting ?? defaultMax, checked.maxOperationCost ?? defaultMax);
    next.maxOperationCostSetting = checked.maxOperationCost;
  }
  if (checked.credits !== undefined) {
    if (byKey) checkCreditsNotLoosened(creditsOf(key), checked.credits);
    next.creditsRemaining = checked.credits ? String(checked.credits.remaining) : null;
    next.creditsRefill = checked.credits?.refill ?? null;
    next.creditsRefilledAt = checked.credits?.refill ? new Date() : null;
  }
  return next;
}
