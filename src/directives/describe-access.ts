import type { AccessRule } from './access-rule';

const code = (scope: string) => `\`${scope}\``;

function describeAll(scopes: readonly string[]): string {
  if (scopes.length === 1) return code(scopes[0]);
  return `all of ${scopes.map(code).join(', ')}`;
}

/**
 * What a field demands of its caller, in words, from the same rules that are enforced: written
 * into the field's description so GraphiQL's docs and introspection show it and it cannot drift.
 */
export function describeAccess(rules: readonly AccessRule[], isPublic: boolean): string {
  const scopeRules = rules.filter((r): r is Extract<AccessRule, { kind: 'scopes' }> => r.kind === 'scopes');
  if (scopeRules.length > 0) {
    const parts = scopeRules.map((rule) => {
      const options = rule.anyOf.map(describeAll);
      return options.length === 1 ? options[0] : `one of: ${options.join('; or ')}`;
    });
    const label = scopeRules.length === 1 && scopeRules[0].anyOf.length === 1 && scopeRules[0].anyOf[0].length === 1 ? 'scope' : 'scopes';
    return `Requires ${label} ${parts.join(', and ')} (@requiresScopes).`;
  }
  if (rules.length > 0) return 'Requires an authenticated caller: a user session or a client key (@authenticated).';
  return isPublic ? 'Public: no credentials needed (@public).' : '';
}

/** The field's own description, then its access requirement on a paragraph of its own. */
export function withAccess(description: string | null | undefined, access: string): string | undefined {
  if (!access) return description ?? undefined;
  return description ? `${description}\n\n${access}` : access;
}
