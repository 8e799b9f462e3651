/** Whose limit it is: the key's own, an ancestor key's (shared down its lineage), or the key owner's. */
export type LimitOwnerKind = 'KEY' | 'PARENT_KEY' | 'USER';

/** One limit a request was charged to, and what is left of it. */
export interface LimitStatus {
  /** The limit's name; an ancestor's are `parent.<name>` (`parent2.<name>` two generations up), the owner's `user.<name>`. */
  name: string;
  unit: 'REQUESTS' | 'ROOT_FIELDS' | 'COST';
  limit: number;
  periodSeconds: number;
  remaining: number;
  resetSeconds: number;
  limitOf: LimitOwnerKind;
}

/**
 * A request's cost and budgets, as the admission phase decided them: read by `Query.rateLimit`
 * and told to the client in `extensions.cost`.
 */
export interface BudgetStatus {
  estimated: number;
  nodeCount: number;
  limits: LimitStatus[];
  /** The smallest credits among those the request is charged to; null when none has credits. */
  credits: { remaining: number; limitOf: LimitOwnerKind } | null;
}
