import { checkIntRange, checkText } from '../common/validation';
import { BadUserInputError, ForbiddenError } from '../errors/app-errors';
import type { ScopeCatalog } from '../scopes/scope-catalog';

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
export const MAX_GRACE_PERIOD_SECONDS = 30 * 86_400;

export function checkName(name: string): string {
  return checkText(name, 'name', { min: 1, max: 100 });
}

export function checkDescription(description: string | null | undefined): string | null {
  if (description == null) return null;
  const text = checkText(description, 'description', { min: 0, max: 500 });
  return text === '' ? null : text;
}

export function checkRateLimit(value: number): number {
  return checkIntRange(value, 'rateLimitPerMinute', 1, 1_000_000);
}

export function checkExpiry(expiresAt: Date | null | undefined, now = Date.now()): Date | null {
  if (expiresAt == null) return null;
  if (Number.isNaN(expiresAt.getTime())) throw new BadUserInputError('expiresAt', 'must be an ISO-8601 date-time');
  if (expiresAt.getTime() <= now) throw new BadUserInputError('expiresAt', 'must be in the future');
  return expiresAt;
}

/** Scopes must be known, and held by whoever grants them: nobody can mint more power than they have. */
export function checkGrantableScopes(scopes: string[], grantor: { scopes: ReadonlySet<string> }, catalog: ScopeCatalog): string[] {
  if (scopes.length === 0) throw new BadUserInputError('scopes', 'must contain at least one scope');
  const unique = [...new Set(scopes.map((s) => s.trim()))];
  // The offending value is not echoed back: callers do paste secrets into the wrong field.
  const unknownAt = scopes.findIndex((s) => !catalog.isKnown(s.trim()));
  if (unknownAt !== -1) {
    throw new BadUserInputError('scopes', `scopes[${unknownAt}] is not a known scope; known scopes: ${catalog.names().join(', ')}`);
  }
  const notHeld = unique.filter((s) => !grantor.scopes.has(s));
  if (notHeld.length > 0) {
    throw new ForbiddenError([notHeld], `Cannot grant scopes you do not hold: ${notHeld.join(', ')}`);
  }
  return unique;
}

export function checkGracePeriod(seconds: number): number {
  return checkIntRange(seconds, 'gracePeriodSeconds', 0, MAX_GRACE_PERIOD_SECONDS);
}
