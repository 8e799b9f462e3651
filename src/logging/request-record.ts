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
}

const records = new WeakMap<object, RequestRecord>();
// On the context itself (not only in the WeakMap): Apollo runs operations on a shallow copy of
// the context, which keeps symbol-keyed properties.
const RECORD = Symbol('keygate.requestRecord');

export function requestRecord(owner: object): RequestRecord {
  let record = (owner as { [RECORD]?: RequestRecord })[RECORD] ?? records.get(owner);
  if (!record) records.set(owner, (record = {}));
  return record;
}

/** Makes `context` (a request's GraphQL context, and its copies) share `req`'s record. */
export function linkRecord(req: object, context: object): void {
  Object.defineProperty(context, RECORD, { value: requestRecord(req), enumerable: true, configurable: true });
}
