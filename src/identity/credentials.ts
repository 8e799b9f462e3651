import type { IncomingHttpHeaders } from 'node:http';
import { UnauthenticatedError } from '../errors/app-errors';

export type Credential = { kind: 'access-token'; token: string } | { kind: 'client-key'; key: string };

export const CLIENT_KEY_PREFIX = 'kg_';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the request's credential from its headers only: a key in the URL would end up in
 * proxy logs and browser history, so query parameters are never looked at.
 */
export function readCredential(headers: IncomingHttpHeaders): Credential | undefined {
  const clientKey = single(headers['x-client-key'])?.trim();
  const authorization = single(headers.authorization)?.trim();
  if (clientKey && authorization) {
    throw new UnauthenticatedError('Send one credential: either X-Client-Key or Authorization, not both');
  }
  if (clientKey) return { kind: 'client-key', key: clientKey };
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token or client key>"');
  const token = match[1];
  return token.startsWith(CLIENT_KEY_PREFIX) ? { kind: 'client-key', key: token } : { kind: 'access-token', token };
}
