import type { EntityManager } from 'typeorm';
import { checkUuid } from '../common/validation';
import { NotFoundError } from '../errors/app-errors';
import type { Principal } from '../identity/principal';
import { UserRole } from '../identity/user-role';
import type { RoleScopes } from '../identity/role-scopes';
import { transactionQuery } from '../users/transaction-query';
import { ClientKey } from './client-key.entity';

export function canSeeAll(principal: Pick<Principal, 'role'>): boolean {
  return principal.role === UserRole.ADMIN;
}

/** Another user's key is reported as missing, never as forbidden: its existence is not revealed. */
export function visibleOrNotFound(key: ClientKey | null, viewer: Pick<Principal, 'role' | 'userId'>): ClientKey {
  if (!key || (!canSeeAll(viewer) && key.userId !== viewer.userId)) throw new NotFoundError('Client key');
  return key;
}

/** The key by id, locked for update when `lock` (visibility is for the caller to check). */
export function findKey(em: EntityManager, id: string, lock: boolean): Promise<ClientKey | null> {
  return em.getRepository(ClientKey).findOne({ where: { id: checkUuid(id) }, lock: lock ? { mode: 'pessimistic_write' } : undefined });
}

/** The key's scopes its owner holds now: what the key can actually do. */
export async function effectiveScopes(em: EntityManager, key: ClientKey, actor: { userId: string; role: UserRole }, roles: RoleScopes): Promise<string[]> {
  let role = actor.role;
  if (key.userId !== actor.userId) {
    const rows = await transactionQuery<Array<{ role: UserRole }>>(em, 'SELECT role FROM users WHERE id = $1', [key.userId]);
    // No owner: the key is being deleted with it; judge it by its own scopes.
    role = rows[0]?.role ?? UserRole.ADMIN;
  }
  const held = roles.setOf(role);
  return key.scopes.filter((scope) => held.has(scope));
}
