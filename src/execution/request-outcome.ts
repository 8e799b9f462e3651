import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Principal } from '../identity/principal';
import type { BudgetVerdict, RequestUnits } from './budget-admission';

/**
 * What became of one GraphQL request, filled in as it goes through the pipeline and handed to
 * every `onRequestDone` listener once the response is written (usage counting, access logs).
 */
export interface RequestOutcome {
  /** The authenticated caller; undefined for an anonymous request or a refused credential. */
  principal?: Principal;
  operationName?: string;
  /** Root fields the operation executed, as coordinates (`Query.viewer`), one per response key. */
  rootFields: readonly string[];
  /**
   * The errors the response carries, as objects (`describeError` in errors/error-policy.ts gives
   * their codes). A request Apollo refused at the HTTP level has one BAD_REQUEST error here.
   */
  errors: readonly unknown[];
  /** Refused by one of the key's budgets (RATE_LIMITED or QUOTA_EXCEEDED, HTTP 429). */
  rateLimited: boolean;
  /** Rate-limit headers of a key-authenticated request. */
  rateLimitHeaders?: Record<string, string>;
  /** The admission phase's verdict on a key's request, settled after the response. */
  budget?: BudgetVerdict;
  /** What the request used, once settled (the actual cost, per root field too). */
  used?: RequestUnits & { byRootField?: ReadonlyMap<string, number> };
  /** The operation as admitted, for pricing what it returned. */
  operation?: { document: DocumentNode; operation: OperationDefinitionNode; variables?: Record<string, unknown>; schema: GraphQLSchema };
  /** A dry run: only `rateLimit` runs, nothing is charged. */
  dryRun?: boolean;
  /** Marks a phase on the request's trace (a no-op without tracing). */
  phase?: (name: 'execute' | 'settle') => void;
  status: number;
  /** From the first byte read to the last byte written. */
  latencyMs: number;
}

export type RequestDoneListener = (outcome: Readonly<RequestOutcome>) => void;

/**
 * Where the pipeline keeps the outcome inside the GraphQL context. A symbol survives Apollo's
 * shallow copy of the context and stays out of every resolver's way.
 */
export const OUTCOME = Symbol('keygate.requestOutcome');

export function newOutcome(): RequestOutcome {
  return { rootFields: [], errors: [], rateLimited: false, status: 200, latencyMs: 0 };
}
