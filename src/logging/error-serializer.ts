import pino from 'pino';

/**
 * Database errors describe the data they failed on: PostgreSQL's `where` and `detail` quote the
 * offending row or JSON text, TypeORM copies the query's `parameters` onto its error, and some
 * messages quote the value (`invalid input syntax for type uuid: "…"`). A client's secret could
 * ride along into the log, so such errors are logged through this allowlist of fields, which name
 * the failure (code, constraint, table, column, routine) without repeating any value.
 */
const DB_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const;

/** Nested errors worth following: TypeORM's, graphql-js's and Node's wrappers. */
const WRAPPERS = ['driverError', 'originalError', 'cause', 'thrownValue'] as const;

type ErrorLike = Record<string, unknown> & { message?: unknown; stack?: unknown; name?: unknown };

/** pg's DatabaseError and TypeORM's QueryFailedError (which copies the pg fields onto itself). */
function isDatabaseError(err: ErrorLike): boolean {
  return (
    err.name === 'QueryFailedError' ||
    (typeof err.severity === 'string' && typeof err.code === 'string' && ('routine' in err || 'where' in err || 'detail' in err || 'position' in err))
  );
}

/** Quoted parts of a PostgreSQL message are values (or names the allowlisted fields give anyway). */
function withoutQuoted(text: string): string {
  return text.replace(/"(?:[^"]|"")*"/g, '"…"').replace(/'(?:[^']|'')*'/g, "'…'");
}

function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const at = stack.indexOf('\n    at ');
  return at === -1 ? undefined : stack.slice(at + 1);
}

function serializeDatabaseError(err: ErrorLike): Record<string, unknown> {
  const driver = (err.driverError && typeof err.driverError === 'object' ? err.driverError : err) as ErrorLike;
  const out: Record<string, unknown> = { type: typeof err.name === 'string' ? err.name : 'DatabaseError' };
  out.message = withoutQuoted(String(driver.message ?? err.message ?? ''));
  for (const field of DB_FIELDS) {
    const value = driver[field] ?? err[field];
    if (typeof value === 'string' || typeof value === 'number') out[field] = value;
  }
  const frames = stackFrames(err.stack);
  if (frames) out.stack = `${out.type}: ${out.message}\n${frames}`;
  return out;
}

const MAX_DEPTH = 4;

function serialize(err: unknown, depth: number): unknown {
  if (!err || typeof err !== 'object') return err;
  const e = err as ErrorLike;
  if (isDatabaseError(e)) return serializeDatabaseError(e);
  if (depth >= MAX_DEPTH) return { type: typeof e.name === 'string' ? e.name : 'Error', message: e.message };
  // A wrapper may hold a database error: its own fields are pino's usual ones, the wrapped one is ours.
  const inner = WRAPPERS.map((key) => [key, e[key]] as const).filter(([, value]) => value && typeof value === 'object');
  if (inner.some(([, value]) => containsDatabaseError(value, depth + 1))) {
    const out: Record<string, unknown> = { type: typeof e.name === 'string' ? e.name : 'Error', message: e.message, stack: e.stack };
    if (typeof e.code === 'string') out.code = e.code;
    for (const [key, value] of inner) out[key] = serialize(value, depth + 1);
    return out;
  }
  return err instanceof Error ? pino.stdSerializers.err(err) : err;
}

function containsDatabaseError(err: unknown, depth: number): boolean {
  if (!err || typeof err !== 'object' || depth > MAX_DEPTH) return false;
  const e = err as ErrorLike;
  return isDatabaseError(e) || WRAPPERS.some((key) => containsDatabaseError(e[key], depth + 1));
}

/** pino serializer for `err` (and `error`) fields. */
export function serializeError(err: unknown): unknown {
  return serialize(err, 0);
}
