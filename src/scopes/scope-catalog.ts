/**
 * Every scope Keygate knows. Add a scope here and it becomes grantable to keys
 * (subject to the creator holding it) and usable in @requiresScopes.
 */
export const SCOPES = ['read:users', 'write:users', 'read:clientkeys', 'write:clientkeys', 'read:audit'] as const;

export type Scope = (typeof SCOPES)[number];

const BUILT_IN_DESCRIPTIONS: Record<Scope, string> = {
  'read:users': "Read users, including other users' email and role",
  'write:users': 'Create, change and delete users',
  'read:clientkeys': 'List and read client keys',
  'write:clientkeys': 'Create, change, rotate, revoke and delete client keys',
  'read:audit': 'Read the audit trail',
};

export interface ScopeEntry {
  name: string;
  description: string;
}

/** What KEYGATE_CONFIG adds: upstream scopes, and which of them each role holds. */
export interface ConfiguredScopes {
  scopes: Record<string, string>;
  roles: Partial<Record<string, readonly string[]>>;
}

/**
 * The scopes one Keygate app knows: the built-in ones and those its KEYGATE_CONFIG adds, with the
 * roles' configured scopes. Each app has its own (created in server/create-services.ts), so two
 * apps in one process, or a reload that changes roles, never see another configuration's scopes.
 */
export class ScopeCatalog {
  private entries: ReadonlyMap<string, string> = new Map(Object.entries(BUILT_IN_DESCRIPTIONS));
  private roleExtras: Partial<Record<string, readonly string[]>> = {};
  private changes = 0;

  /**
   * Replaces the configured part of the catalog (the built-in scopes always stay). Called at
   * start-up and on each successful reload of KEYGATE_CONFIG.
   */
  configure(configured: ConfiguredScopes): void {
    const next = new Map<string, string>(Object.entries(BUILT_IN_DESCRIPTIONS));
    for (const [name, description] of Object.entries(configured.scopes)) if (!next.has(name)) next.set(name, description);
    this.entries = next;
    this.roleExtras = { ...configured.roles };
    this.changes++;
  }

  /** Increments whenever the catalog changes: lets callers cache what they derive from it. */
  get version(): number {
    return this.changes;
  }

  isKnown(scope: string): boolean {
    return this.entries.has(scope);
  }

  /** Every scope name, built-in first. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  list(): ScopeEntry[] {
    return [...this.entries].map(([name, description]) => ({ name, description }));
  }

  /** Configured scopes a role holds beyond its built-in ones (admins hold every scope anyway). */
  configuredScopesOfRole(role: string): readonly string[] {
    return this.roleExtras[role] ?? [];
  }
}
