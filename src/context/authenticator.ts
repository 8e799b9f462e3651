import type { IncomingHttpHeaders } from 'node:http';
import type { AccessClaims, AccessTokens } from '../auth/access-tokens';
import { UnauthenticatedError } from '../errors/app-errors';
import { scopeSetForRole } from '../users/user-role';
import type { UserState, UserStates } from '../users/user-states';
import { readCredential } from './credentials';
import type { ClientKeyPrincipal, Principal, UserPrincipal } from './principal';

/** Verifies a presented client key; provided by the client-keys feature. */
export interface ClientKeyVerifier {
  verify(key: string): ClientKeyPrincipal | Promise<ClientKeyPrincipal>;
}

/**
 * Turns a request's headers into its principal (or none, for an anonymous request). Authority
 * comes from the current state on every request: an access token names its user, and the user's
 * current role (from `UserStates`, cached and invalidated on change) decides its scopes.
 */
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly keys: ClientKeyVerifier | undefined,
    private readonly users: UserStates,
  ) {}

  /** Synchronous when nothing needs waiting for (no credential, a cached key); throws on a bad credential. */
  authenticate(headers: IncomingHttpHeaders): Principal | undefined | Promise<Principal | undefined> {
    const credential = readCredential(headers);
    if (!credential) return undefined;
    if (credential.kind === 'client-key') {
      if (!this.keys) throw new UnauthenticatedError('Invalid client key', 'KEY_INVALID');
      return this.keys.verify(credential.key);
    }
    return this.accessTokens.verify(credential.token).then((claims) => {
      const state = this.users.get(claims.userId);
      return state instanceof Promise ? state.then((s) => userPrincipal(claims, s)) : userPrincipal(claims, state);
    });
  }
}

function userPrincipal(claims: AccessClaims, state: UserState | null): UserPrincipal {
  // A deleted user's tokens name nobody; a password change or "log out everywhere" ends older tokens.
  if (!state) throw new UnauthenticatedError('Invalid access token');
  if (state.tokenVersion !== claims.tokenVersion) throw new UnauthenticatedError('Session has ended: log in again');
  return { kind: 'USER', id: state.id, userId: state.id, role: state.role, scopes: scopeSetForRole(state.role) };
}
