import { useQuery } from '@apollo/client/react';
import { messageOf } from '../apollo';
import { formatDate } from '../format';
import { KeyAuditDocument } from '../generated/graphql';

const isChange = (value: unknown): value is { from: unknown; to: unknown } =>
  !!value && typeof value === 'object' && Object.keys(value).length === 2 && 'from' in value && 'to' in value;

/** `field: value` (or `field: old → new`) pairs, one per line, rather than raw JSON. */
function describeChanges(changes: unknown): string {
  if (!changes || typeof changes !== 'object' || Object.keys(changes).length === 0) return '—';
  return Object.entries(changes as Record<string, unknown>)
    .map(([field, value]) => `${field}: ${isChange(value) ? `${JSON.stringify(value.from)} → ${JSON.stringify(value.to)}` : JSON.stringify(value)}`)
    .join('\n');
}

export function AuditSection({ id, viewerId }: { id: string; viewerId: string }) {
  const { data, error } = useQuery(KeyAuditDocument, { variables: { id, first: 50 }, fetchPolicy: 'network-only' });
  const events = data?.auditEvents;
  return (
    <section aria-labelledby="audit-heading" className="panel">
      <h2 id="audit-heading">Audit events</h2>
      {error && (
        <p role="alert" className="error">
          Audit events are unavailable: {messageOf(error)}
        </p>
      )}
      {events && events.nodes.length === 0 && <p className="muted">No events yet.</p>}
      {events && events.nodes.length > 0 && (
        <div className="table-wrap">
          <table aria-labelledby="audit-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
                <th scope="col">From</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {events.nodes.map((event) => (
                <tr key={event.id}>
                  <td>{formatDate(event.createdAt)}</td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>
                    {event.actorKind === 'USER' && event.actorId === viewerId ? (
                      'you'
                    ) : (
                      <>
                        {event.actorKind === 'CLIENT_KEY' ? 'key' : 'user'} <code>{event.actorId}</code>
                      </>
                    )}
                  </td>
                  <td>{event.ip ?? '—'}</td>
                  <td className="changes">
                    <code>{describeChanges(event.changes)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
