import { checkCreditsNotLoosened, checkLimitsNotLoosened } from '../limits/limit-ceiling';
import { checkCredits, checkLimits, type CreditsGiven, creditsOf } from '../limits/limit-rules';
import type { LimitSpec } from '../limits/limit-spec';
import type { User } from './user.entity';

/** A user's budget settings as given in updateUser; undefined: left as they are. */
export interface UserBudgetData {
  limits?: LimitSpec[] | null;
  /** Null: no quota. */
  credits?: CreditsGiven | null;
}

/**
 * Applies limits and credits to a user, returning the audit changes. `tightenOnly`: the actor is
 * the user themselves (or one of their keys): an owner's budget binds all of its keys, so a user
 * cannot loosen their own, only someone holding write:users for them can.
 */
export function applyUserBudget(user: User, data: UserBudgetData, tightenOnly: boolean): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (data.limits !== undefined) {
    const limits = checkLimits(data.limits ?? []);
    if (tightenOnly) checkLimitsNotLoosened(user.namedLimits ?? [], limits);
    if (JSON.stringify(limits) !== JSON.stringify(user.namedLimits ?? [])) changes.limits = { from: user.namedLimits ?? [], to: (user.namedLimits = limits) };
  }
  if (data.credits !== undefined) {
    const credits = data.credits === null ? null : checkCredits(data.credits);
    const before = creditsOf(user);
    if (tightenOnly) checkCreditsNotLoosened(before, credits);
    user.creditsRemaining = credits ? String(credits.remaining) : null;
    user.creditsRefill = credits?.refill ?? null;
    user.creditsRefilledAt = credits?.refill ? new Date() : null;
    changes.credits = { from: before?.remaining ?? null, to: credits?.remaining ?? null };
  }
  return changes;
}
