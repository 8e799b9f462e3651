import type { CreditsSpec, LimitSpec } from './limit-spec';

/** Who a limit belongs to, as refusals name it (`extensions.limitOf`). */
export type LimitOwner = 'KEY' | 'PARENT_KEY' | 'USER';

/** One party a key's request is charged to: the key, an ancestor key, or the owner. */
export interface Payer {
  of: LimitOwner;
  /** The key's or the user's id. */
  id: string;
  /** `default` (rateLimitPerMinute) first for keys; users have only named limits. */
  limits: readonly LimitSpec[];
  credits: CreditsSpec | null;
  /** How many generations above the requesting key (0: the key itself; the owner: -1). */
  depth: number;
}

/** Everything that decides whether a key's request may run, read once and cached until the key or its owner changes. */
export interface BudgetPlan {
  keyId: string;
  /**
   * The caps on one operation's estimated cost of the key and each ancestor (null: the server's
   * MAX_OPERATION_COST): the lowest applies, so a minted key cannot escape its parent's.
   */
  maxOperationCosts: readonly (number | null)[];
  /** The key first, then its ancestors nearest first, then its owner. */
  payers: readonly Payer[];
}
