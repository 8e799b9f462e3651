import type { IncomingHttpHeaders } from 'node:http';
import type { AccessTokens } from '../auth/access-tokens';
import { UnauthenticatedError } from '../errors/app-errors';
import { scopeSetForRole } from '../users/user-role';
import { readCredential } from './credentials';
import type { ClientKeyPrincipal, Principal } from './principal';

/** Verifies a presented client key; provided by the client-keys feature. */
export interface ClientKeyVerifier {
  verify(key: string): ClientKeyPrincipal | Promise<ClientKeyPrincipal>;
}

/** Turns a request's headers into its principal (or none, for an anonymous request). */
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly keys?: ClientKeyVerifier,
  ) {}

  /** Synchronous when nothing needs waiting for (no credential, a cached key); throws on a bad credential. */
  authenticate(headers: IncomingHttpHeaders): Principal | undefined | Promise<Principal | undefined> {
    const credential = readCredential(headers);
    if (!credential) return undefined;
    if (credential.kind === 'client-key') {
      if (!this.keys) throw new UnauthenticatedError('Invalid client key', 'KEY_INVALID');
      return this.keys.verify(credential.key);
    }
    return this.accessTokens
      .verify(credential.token)
      .then((claims): Principal => ({ kind: 'USER', id: claims.userId, userId: claims.userId, role: claims.role, scopes: scopeSetForRole(claims.role) }));
  }
}
