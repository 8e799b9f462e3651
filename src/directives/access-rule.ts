import { ForbiddenError, UnauthenticatedError } from '../errors/app-errors';
import type { Principal } from '../identity/principal';

/** What one directive demands of the caller. `public` demands nothing and is not represented. */
export type AccessRule = { kind: 'authenticated' } | { kind: 'scopes'; anyOf: string[][] };

/** Throws the SPEC.md error when the principal does not satisfy every rule. */
export function enforceRules(rules: readonly AccessRule[], principal: Principal | undefined): void {
  for (const rule of rules) {
    if (!principal) throw new UnauthenticatedError();
    if (rule.kind === 'scopes' && !rule.anyOf.some((all) => all.every((s) => principal.scopes.has(s)))) {
      throw new ForbiddenError(rule.anyOf);
    }
  }
}

/** Whether the principal satisfies every rule: enforceRules without the throw. */
export function allowsRules(rules: readonly AccessRule[], principal: Principal | undefined): boolean {
  for (const rule of rules) {
    if (!principal) return false;
    if (rule.kind === 'scopes' && !rule.anyOf.some((all) => all.every((s) => principal.scopes.has(s)))) return false;
  }
  return true;
}
