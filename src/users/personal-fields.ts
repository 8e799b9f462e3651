import type { Principal } from '../identity/principal';
import { ForbiddenError } from '../errors/app-errors';

/** Personal fields of a user (email, role) are for that user, and for callers holding read:users. */
export const PERSONAL_FIELDS = ['email', 'role', 'limits', 'credits'] as const;

export const REDACTED = '[redacted: needs read:users]';

/** Users handed to the person they are, by login or refresh: that caller has no principal yet. */
const OWN_SESSION_USERS = new WeakSet<object>();

/** Marks the user of a session just opened as the caller's own (login and refresh answer anonymously). */
export function markAsSessionUser<T extends object>(user: T): T {
  OWN_SESSION_USERS.add(user);
  return user;
}

export function canReadPersonalFields(viewer: Principal | undefined, userId: string | null): boolean {
  return !!viewer && (viewer.userId === userId || viewer.scopes.has('read:users'));
}

export function assertCanReadPersonalFields(viewer: Principal | undefined, user: { id: string }): void {
  if (!OWN_SESSION_USERS.has(user) && !canReadPersonalFields(viewer, user.id)) {
    throw new ForbiddenError([['read:users']], "Another user's personal fields (email, role, limits, credits) need read:users");
  }
}

/** An audit event's `changes` as `viewer` may see them: other users' email and role values hidden. */
export function redactPersonalChanges(changes: Record<string, unknown>, viewer: Principal | undefined, userId: string | null): Record<string, unknown> {
  if (canReadPersonalFields(viewer, userId) || !PERSONAL_FIELDS.some((field) => field in changes)) return changes;
  const shown: Record<string, unknown> = { ...changes };
  for (const field of PERSONAL_FIELDS) if (field in shown) shown[field] = REDACTED;
  return shown;
}
