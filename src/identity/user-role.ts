import { registerEnumType } from 'type-graphql';
import { catalogVersion, configuredScopesOfRole, knownScopes, SCOPES, type Scope } from '../scopes/scope-catalog';

export enum UserRole {
  ADMIN = 'admin',
  MEMBER = 'member',
}

registerEnumType(UserRole, {
  name: 'UserRole',
  description: 'admin holds every scope; member manages its own client keys',
  valuesConfig: {
    ADMIN: { description: "Holds every scope and sees every user's keys." },
    MEMBER: { description: 'Manages its own client keys and reads their audit events.' },
  },
});

const ROLE_SCOPES: Record<UserRole, readonly Scope[]> = {
  [UserRole.ADMIN]: SCOPES,
  [UserRole.MEMBER]: ['read:clientkeys', 'write:clientkeys', 'read:audit'],
};

/** The role's scopes from the catalog: admins hold every scope, KEYGATE_CONFIG's `roles` extend the others. */
export function scopesForRole(role: UserRole): readonly string[] {
  if (role === UserRole.ADMIN) return knownScopes();
  return [...ROLE_SCOPES[role], ...configuredScopesOfRole(role)];
}

let setsVersion = -1;
let roleSets = new Map<UserRole, ReadonlySet<string>>();

/**
 * The role's scopes as a set, built once per role (principals test membership on every field),
 * and rebuilt only when the catalog changes (a reloaded KEYGATE_CONFIG).
 */
export function scopeSetForRole(role: UserRole): ReadonlySet<string> {
  if (setsVersion !== catalogVersion()) {
    roleSets = new Map(Object.values(UserRole).map((r) => [r, new Set(scopesForRole(r))]));
    setsVersion = catalogVersion();
  }
  return roleSets.get(role)!;
}
