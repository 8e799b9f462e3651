import { ForbiddenError } from '../errors/app-errors';
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from './client-key-rules';

/** FORBIDDEN about one input field: no scope would allow it, so requiredScopes is empty and `field` says what. */
export class KeyLimitError extends ForbiddenError {
  constructor(
    readonly field: 'expiresAt' | 'rateLimitPerMinute',
    message: string,
  ) {
    super([], message);
  }
  override details() {
    return { ...super.details(), field: this.field };
  }
}

/**
 * Acting on a key (update, rotate, revoke, delete) needs every scope the key holds: otherwise a
 * narrow key could rotate a wider sibling and receive its secret. `keyScopes` are the target's
 * effective scopes (its own, intersected with its owner's current ones). `refusal` replaces the
 * error, which names those scopes, where the caller may not be able to read the key.
 */
export function checkCanActOn(actorScopes: ReadonlySet<string>, keyScopes: readonly string[], refusal?: () => Error): void {
  const missing = keyScopes.filter((scope) => !actorScopes.has(scope));
  if (missing.length === 0) return;
  if (refusal) throw refusal();
  throw new ForbiddenError([[...keyScopes].sort()], `Acting on this key needs every scope it has; missing: ${missing.sort().join(', ')}`);
}

export interface KeyTerms {
  expiresAt: Date | null;
  rateLimitPerMinute: number;
}

/**
 * The terms of a key minted by another key: never outliving its parent, never allowed more
 * requests. Unset values are inherited (the parent's expiry; the default limit, capped by the parent's).
 */
export function childTerms(parent: KeyTerms, requested: { expiresAt: Date | null; rateLimitPerMinute: number | null }): KeyTerms {
  let expiresAt = requested.expiresAt;
  if (parent.expiresAt) {
    if (!expiresAt) expiresAt = parent.expiresAt;
    else if (expiresAt.getTime() > parent.expiresAt.getTime()) {
      throw new KeyLimitError('expiresAt', 'A key cannot mint a key that expires after itself');
    }
  }
  const rateLimitPerMinute = requested.rateLimitPerMinute ?? Math.min(DEFAULT_RATE_LIMIT_PER_MINUTE, parent.rateLimitPerMinute);
  if (rateLimitPerMinute > parent.rateLimitPerMinute) {
    throw new KeyLimitError('rateLimitPerMinute', 'A key cannot mint a key with a higher rate limit than its own');
  }
  return { expiresAt, rateLimitPerMinute };
}

/** Which of `next`'s terms go beyond `ceiling`'s: a later expiry or none (when the ceiling has one), a higher limit. */
function termBeyond(ceiling: KeyTerms, next: Partial<KeyTerms>): keyof KeyTerms | null {
  if (next.expiresAt !== undefined && ceiling.expiresAt !== null) {
    if (next.expiresAt === null || next.expiresAt.getTime() > ceiling.expiresAt.getTime()) return 'expiresAt';
  }
  if (next.rateLimitPerMinute !== undefined && next.rateLimitPerMinute > ceiling.rateLimitPerMinute) return 'rateLimitPerMinute';
  return null;
}

/** A client key may shorten a key's life and lower its limit, never the reverse: only users can. */
export function checkKeyDoesNotExtend(current: KeyTerms, next: Partial<KeyTerms>): void {
  const beyond = termBeyond(current, next);
  if (beyond === 'expiresAt') throw new KeyLimitError('expiresAt', "A client key cannot lengthen a key's life (a later expiresAt, or none); a user can");
  if (beyond === 'rateLimitPerMinute') throw new KeyLimitError('rateLimitPerMinute', "A client key cannot raise a key's rate limit; a user can");
}

/**
 * A client key may obtain a secret (rotate) only for a key within its own terms: otherwise a
 * limited or expiring key could rotate a sibling without limits and carry on as that sibling.
 */
export function checkKeyWithinActor(actor: KeyTerms, target: KeyTerms): void {
  const beyond = termBeyond(actor, target);
  if (beyond === 'expiresAt') throw new KeyLimitError('expiresAt', 'A client key cannot take the secret of a key that expires after itself (or never)');
  if (beyond === 'rateLimitPerMinute')
    throw new KeyLimitError('rateLimitPerMinute', 'A client key cannot take the secret of a key with a higher rate limit than its own');
}

/** The terms a key minted (directly or not) by `parent` must drop to so as to stay within the parent's current ones. */
export function cappedTerms(parent: KeyTerms, child: KeyTerms): Partial<KeyTerms> {
  const capped: Partial<KeyTerms> = {};
  if (termBeyond(parent, { expiresAt: child.expiresAt })) capped.expiresAt = parent.expiresAt;
  if (termBeyond(parent, { rateLimitPerMinute: child.rateLimitPerMinute })) capped.rateLimitPerMinute = parent.rateLimitPerMinute;
  return capped;
}
