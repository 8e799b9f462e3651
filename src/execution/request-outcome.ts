import type { Principal } from '../identity/principal';

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
  /** Refused by the key's rate limit (HTTP 429). */
  rateLimited: boolean;
  /** Rate-limit headers of a key-authenticated request. */
  rateLimitHeaders?: Record<string, string>;
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
