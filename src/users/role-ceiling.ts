import { ForbiddenError } from '../errors/app-errors';
import type { UserRole } from '../identity/user-role';
import type { RoleScopes } from '../identity/role-scopes';

/**
 * Granting a role, or acting on a user who has it (changing, resetting the password of,
 * deleting), needs every scope the role holds: write:users alone must not make anyone an
 * admin, nor take over an account more powerful than the actor (the same ceiling as for keys).
 */
export function checkHoldsRole(actorScopes: ReadonlySet<string>, role: UserRole, roles: RoleScopes): void {
  const roleScopes = [...roles.of(role)].sort();
  const missing = roleScopes.filter((scope) => !actorScopes.has(scope));
  if (missing.length > 0) {
    throw new ForbiddenError([roleScopes], `The ${role} role holds scopes you do not: ${missing.join(', ')}`);
  }
}
