import type { EntityManager } from 'typeorm';
import type { Principal } from '../identity/principal';
import { UnauthenticatedError } from '../errors/app-errors';
import { transactionQuery } from './transaction-query';
import type { UserRole } from '../identity/user-role';
import type { RoleScopes } from '../identity/role-scopes';

/** What the acting principal may do, read inside the transaction of the change it makes. */
export interface CurrentAuthority {
  role: UserRole;
  /** For a user: its role's scopes. For a key: its own scopes that its owner holds now. */
  scopes: ReadonlySet<string>;
  /** The acting key as stored now (client keys only): lineage and limits are measured against it. */
  key?: { id: string; expiresAt: Date | null; rateLimitPerMinute: number; allowedCidrs: string[] };
}

interface AuthorityRow {
  role: UserRole;
  key_id: string | null;
  key_scopes: string[] | null;
  revoked_at: Date | null;
  expires_at: Date | null;
  rate_limit_per_minute: number | null;
  allowed_cidrs: string[] | null;
}

/**
 * Re-reads the actor's authority in the change's own transaction. The request was authenticated
 * from a cache that is at most a moment old; a change that commits must not rest on a role, a
 * user or a key that no longer exists. `lockOwner` takes the owner's row FOR KEY SHARE, so a
 * concurrent deletion waits for this transaction instead of turning its insert into a
 * foreign-key violation. `lockKey` then takes the acting key's row FOR SHARE (after the owner's,
 * the order a user's deletion locks them in) and judges the key by that locked row: a revocation
 * committing meanwhile is waited for and seen, so a key never acts after it was revoked.
 */
export async function currentAuthority(
  em: EntityManager,
  principal: Principal,
  roles: RoleScopes,
  options: { lockOwner?: boolean; lockKey?: boolean } = {},
): Promise<CurrentAuthority> {
  const keyId = principal.kind === 'CLIENT_KEY' ? principal.id : null;
  const rows = await transactionQuery<AuthorityRow[]>(
    em,
    `SELECT u.role, k.id AS key_id, k.scopes AS key_scopes, k.revoked_at, k.expires_at, k.rate_limit_per_minute, k.allowed_cidrs
       FROM users u LEFT JOIN client_keys k ON k.id = $2 AND k.user_id = u.id
      WHERE u.id = $1${options.lockOwner ? ' FOR KEY SHARE OF u' : ''}`,
    [principal.userId, keyId],
  );
  const row = rows[0];
  if (row && keyId && options.lockKey) Object.assign(row, await lockActingKey(em, keyId, principal.userId));
  if (!row)
    throw new UnauthenticatedError(
      principal.kind === 'CLIENT_KEY' ? 'Invalid client key' : 'Invalid access token',
      principal.kind === 'CLIENT_KEY' ? 'KEY_INVALID' : undefined,
    );
  const held = roles.setOf(row.role);
  if (principal.kind === 'USER') return { role: row.role, scopes: held };
  if (!row.key_id || !row.key_scopes) throw new UnauthenticatedError('Invalid client key', 'KEY_INVALID');
  if (row.revoked_at) throw new UnauthenticatedError('Client key has been revoked', 'KEY_REVOKED');
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) throw new UnauthenticatedError('Client key has expired', 'KEY_EXPIRED');
  return {
    role: row.role,
    scopes: new Set(row.key_scopes.filter((scope) => held.has(scope))),
    key: { id: row.key_id, expiresAt: row.expires_at, rateLimitPerMinute: row.rate_limit_per_minute!, allowedCidrs: row.allowed_cidrs ?? [] },
  };
}

/** The acting key's row FOR SHARE: concurrent revocations and cascades wait for us, or we for them. */
async function lockActingKey(em: EntityManager, keyId: string, userId: string): Promise<Omit<AuthorityRow, 'role'>> {
  const rows = await transactionQuery<Array<Omit<AuthorityRow, 'role'>>>(
    em,
    `SELECT id AS key_id, scopes AS key_scopes, revoked_at, expires_at, rate_limit_per_minute, allowed_cidrs
       FROM client_keys WHERE id = $1 AND user_id = $2 FOR SHARE`,
    [keyId, userId],
  );
  return rows[0] ?? { key_id: null, key_scopes: null, revoked_at: null, expires_at: null, rate_limit_per_minute: null, allowed_cidrs: null };
}
