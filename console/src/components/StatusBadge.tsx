import type { ClientKeyStatus } from '../generated/graphql';

const LABELS: Record<ClientKeyStatus, string> = { ACTIVE: 'Active', REVOKED: 'Revoked', EXPIRED: 'Expired' };

export function StatusBadge({ status }: { status: ClientKeyStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{LABELS[status]}</span>;
}
