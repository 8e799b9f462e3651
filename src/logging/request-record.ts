/**
 * What the access log line says about a request beyond its method, path and status, filled in
 * by the layers that learn it: the caller once authenticated, the operation once parsed.
 *
 * Contract for the request pipeline: `requestRecord(req)` returns the request's record (created
 * on first use); set `caller` when the principal is known (noteCaller does) and `operationName`
 * when the document is parsed. `linkRecord(req, contextValue)` lets code that only holds the
 * GraphQL context (Apollo plugins) reach the same record with `requestRecord(contextValue)`.
 * Never put a secret or a variable value here: it is logged as is.
 */
export interface RequestRecord {
  caller?: { kind: 'USER' | 'CLIENT_KEY'; keyPrefix?: string };
  operationName?: string;
  /** The caller's address (TRUST_PROXY applied): always a canonical IP, or `unknown`. */
  ip?: string;
}

// A symbol-keyed property of the request (and of its GraphQL context, which Apollo copies
// shallowly, symbols included): cheaper per request than a WeakMap or a defined property.
const RECORD = Symbol('keygate.requestRecord');

type Owner = { [RECORD]?: RequestRecord };

export function requestRecord(owner: object): RequestRecord {
  return ((owner as Owner)[RECORD] ??= {});
}

/** Makes `context` (a request's GraphQL context, and its copies) share `req`'s record. */
export function linkRecord(req: object, context: object): void {
  (context as Owner)[RECORD] = requestRecord(req);
}
