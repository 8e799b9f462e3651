import { registerEnumType } from 'type-graphql';
import { SCOPES, type Scope } from '../scopes/scope-catalog';

export enum UserRole {
  ADMIN = 'admin',
  MEMBER = 'member',
}

registerEnumType(UserRole, { name: 'UserRole', description: 'admin holds every scope; member manages its own client keys', valuesConfig: { ADMIN: { description: 'Holds every scope and sees every user\'s keys.' }, MEMBER: { description: 'Manages its own client keys and reads their audit events.' } } });

const ROLE_SCOPES: Record<UserRole, readonly Scope[]> = {
  [UserRole.ADMIN]: SCOPES,
  [UserRole.MEMBER]: ['read:clientkeys', 'write:clientkeys', 'read:audit'],
};

export function scopesForRole(role: UserRole): readonly Scope[] {
  return ROLE_SCOPES[role];
}

const ROLE_SCOPE_SETS = new Map<UserRole, { source: readonly string[]; set: ReadonlySet<string> }>();

/**
 * The role's scopes as a set, built once per role (principals test membership on every field),
 * and rebuilt whenever `scopesForRole` answers with a different list (a reloaded catalog).
 */
export function scopeSetForRole(role: UserRole): ReadonlySet<string> {
  const source = scopesForRole(role);
  let entry = ROLE_SCOPE_SETS.get(role);
  if (entry?.source !== source) ROLE_SCOPE_SETS.set(role, (entry = { source, set: new Set(source) }));
  return entry.set;
}
