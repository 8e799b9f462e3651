const isChange = (value: unknown): value is { from: unknown; to: unknown } =>
  !!value && typeof value === 'object' && Object.keys(value).length === 2 && 'from' in value && 'to' in value;

/** `field: value` (or `field: old → new`) pairs, one per line, rather than raw JSON. */
export function describeChanges(changes: unknown): string {
  if (!changes || typeof changes !== 'object' || Object.keys(changes).length === 0) return '—';
  return Object.entries(changes as Record<string, unknown>)
    .map(([field, value]) => `${field}: ${isChange(value) ? `${JSON.stringify(value.from)} → ${JSON.stringify(value.to)}` : JSON.stringify(value)}`)
    .join('\n');
}

/** The actions Keygate records (src/audit/audit-actions.ts), for the audit log's filter. */
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
