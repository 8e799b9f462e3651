import type { IncomingHttpHeaders } from 'node:http';
import { type AccessClaims, type AccessTokens, SESSION_ENDED } from './access-tokens';
import { UnauthenticatedError } from '../errors/app-errors';
import type { RoleScopes } from '../identity/role-scopes';
import type { UserState, UserStates } from '../users/user-states';
import { readCredential } from '../identity/credentials';
import type { SessionStates } from './session-states';
import type { ClientKeyPrincipal, Principal, UserPrincipal } from '../identity/principal';

/** Verifies a presented client key; provided by the client-keys feature. */
export interface ClientKeyVerifier {
  verify(key: string): ClientKeyPrincipal | Promise<ClientKeyPrincipal>;
}

/**
 * Turns a request's headers into its principal (or none, for an anonymous request). Authority
 * comes from the current state on every request: an access token names its user, and the user's
 * current role (from `UserStates`, cached and invalidated on change) decides its scopes, as long
 * as its session (from `SessionStates`, likewise) has not ended.
 */
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly keys: ClientKeyVerifier | undefined,
    private readonly users: UserStates,
    private readonly sessions: SessionStates,
    private readonly roles: RoleScopes,
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
      const live = this.sessions.isLive(claims.sessionId);
      if (state instanceof Promise || live instanceof Promise) return Promise.all([state, live]).then(([s, l]) => this.userPrincipal(claims, s, l));
      return this.userPrincipal(claims, state, live);
    });
  }

  private userPrincipal(claims: AccessClaims, state: UserState | null, sessionLive: boolean): UserPrincipal {
    // A deleted user's tokens name nobody; a password change or "log out everywhere" ends older tokens.
    if (!state) throw new UnauthenticatedError('Invalid access token');
    // Logout, or a refresh token presented twice, ends that one session and its access tokens.
    if (state.tokenVersion !== claims.tokenVersion || !sessionLive) throw new UnauthenticatedError(SESSION_ENDED);
    return { kind: 'USER', id: state.id, userId: state.id, role: state.role, scopes: this.roles.setOf(state.role) };
  }
}
