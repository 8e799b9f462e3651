/**
 * Every scope Keygate knows. Add a scope here and it becomes grantable to keys
 * (subject to the creator holding it) and usable in @requiresScopes.
 */
export const SCOPES = ['read:users', 'write:users', 'read:clientkeys', 'write:clientkeys', 'read:audit'] as const;

export type Scope = (typeof SCOPES)[number];

const KNOWN = new Set<string>(SCOPES);

export function isKnownScope(scope: string): scope is Scope {
  return KNOWN.has(scope);
}
