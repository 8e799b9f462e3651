import type { Scope, ScopeCatalog } from '../scopes/scope-catalog';
import { SCOPES } from '../scopes/scope-catalog';
import { UserRole } from './user-role';

const BUILT_IN: Record<UserRole, readonly Scope[]> = {
  [UserRole.ADMIN]: SCOPES,
  [UserRole.MEMBER]: ['read:clientkeys', 'write:clientkeys', 'read:audit'],
};

/**
 * What each role holds in one app, from that app's scope catalog: admins hold every scope,
 * KEYGATE_CONFIG's `roles` extend the others.
 */
export class RoleScopes {
  private setsVersion = -1;
  private sets = new Map<UserRole, ReadonlySet<string>>();

  constructor(readonly catalog: ScopeCatalog) {}

  of(role: UserRole): readonly string[] {
    if (role === UserRole.ADMIN) return this.catalog.names();
    return [...BUILT_IN[role], ...this.catalog.configuredScopesOfRole(role)];
  }

  /**
   * The role's scopes as a set, built once per role (principals test membership on every field),
   * and rebuilt only when the catalog changes (a reloaded KEYGATE_CONFIG).
   */
  setOf(role: UserRole): ReadonlySet<string> {
    if (this.setsVersion !== this.catalog.version) {
      this.sets = new Map(Object.values(UserRole).map((r) => [r, new Set(this.of(r))]));
      this.setsVersion = this.catalog.version;
    }
    return this.sets.get(role)!;
  }
}
