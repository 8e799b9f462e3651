export const AUDIT_ACTIONS = [
  'client_key.created',
  'client_key.updated',
  'client_key.rotated',
  'client_key.revoked',
  'client_key.deleted',
  'user.created',
  'user.updated',
  'user.deleted',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
