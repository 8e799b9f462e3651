import { useQuery } from '@apollo/client/react';
import { messageOf } from '../apollo';
import { KeyAuditDocument } from '../generated/graphql';
import { AuditTable } from './AuditTable';

/** One key's audit events, inside its page's "Audit events" section (whose heading names the table). */
export function AuditSection({ id, viewerId }: { id: string; viewerId: string }) {
  const { data, error } = useQuery(KeyAuditDocument, { variables: { id, first: 50 }, fetchPolicy: 'network-only' });
  const events = data?.auditEvents;
  return (
    <>
      {error && (
        <p role="alert" className="error">
          Audit events are unavailable: {messageOf(error)}
        </p>
      )}
      {events && events.nodes.length === 0 && <p className="muted">No events yet.</p>}
      {events && events.nodes.length > 0 && <AuditTable events={events.nodes} labelledBy="audit-heading" viewerId={viewerId} showKey={false} />}
    </>
  );
}
