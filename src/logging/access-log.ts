import type { IncomingMessage } from 'node:http';
import type { Logger } from './logger';
import { requestRecord } from './request-record';

/** Notes who is calling, by kind and key prefix only (never an id token or key). */
export function noteCaller(req: IncomingMessage, principal: { kind: 'USER' | 'CLIENT_KEY'; keyPrefix?: string } | undefined): void {
  if (principal)
    requestRecord(req).caller = principal.kind === 'CLIENT_KEY' ? { kind: principal.kind, keyPrefix: principal.keyPrefix } : { kind: principal.kind };
}

/**
 * The one line logged for every request: method, path (never the query string, where a careless
 * client would put a key), status, duration, the caller's address, kind and key prefix, the operation name.
 */
export function logAccess(logger: Logger, req: IncomingMessage, path: string, status: number, ms: number, aborted = false): void {
  if (!willLogAccess(logger, status)) return;
  const record = requestRecord(req);
  const caller = record.caller?.kind ?? 'anonymous';
  const line = {
    method: req.method,
    path,
    status,
    ms: Math.round(ms * 10) / 10,
    caller,
    ip: record.ip,
    keyPrefix: record.caller?.keyPrefix,
    operation: record.operationName,
    aborted: aborted || undefined,
  };
  const text = [req.method, path, aborted ? 'aborted' : status, `${line.ms}ms`, record.ip, caller, line.keyPrefix, line.operation]
    .filter((part) => part !== undefined)
    .join(' ');
  if (status >= 500) logger.warn(line, text);
  else logger.info(line, text);
}

/** Whether the line for a request answered with `status` would be written at the logger's level. */
export function willLogAccess(logger: Logger, status: number): boolean {
  return logger.isLevelEnabled(status >= 500 ? 'warn' : 'info');
}
