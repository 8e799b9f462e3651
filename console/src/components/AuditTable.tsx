import { describeChanges } from '../audit-format';
import { formatDate } from '../format';
import type { AuditRowFragment } from '../generated/graphql';
import { keyHref } from '../route';

interface Props {
  events: readonly AuditRowFragment[];
  /** The id of the heading that names the table. */
  labelledBy: string;
  viewerId: string;
  /** The log across keys says which key each event is about; a key's own page need not. */
  showKey: boolean;
  /** Names for ids, where the screen knows them (keys and users it loaded for its filters). */
  keyNames?: ReadonlyMap<string, string>;
  userEmails?: ReadonlyMap<string, string>;
}

/** Audit events, newest first; cards on a narrow screen (`.cards`). */
export function AuditTable({ events, labelledBy, viewerId, showKey, keyNames, userEmails }: Props) {
  return (
    <table aria-labelledby={labelledBy} className="cards audit">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          {showKey && <th scope="col">Key</th>}
          <th scope="col">By</th>
          <th scope="col">From</th>
          <th scope="col">Changes</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td data-label="When">{formatDate(event.createdAt)}</td>
            <td data-label="Action">
              <code>{event.action}</code>
            </td>
            {showKey && (
              <td data-label="Key">
                {event.clientKeyId ? <a href={keyHref(event.clientKeyId)}>{keyNames?.get(event.clientKeyId) ?? <code>{event.clientKeyId}</code>}</a> : '—'}
              </td>
            )}
            <td data-label="By">
              {event.actorKind === 'USER' && event.actorId === viewerId ? (
                'you'
              ) : (
                <>
                  {event.actorKind === 'CLIENT_KEY' ? 'key' : 'user'}{' '}
                  {(event.actorKind === 'CLIENT_KEY' ? keyNames : userEmails)?.get(event.actorId) ?? <code>{event.actorId}</code>}
                </>
              )}
            </td>
            <td data-label="From">{event.ip ?? '—'}</td>
            <td data-label="Changes" className="changes">
              <code>{describeChanges(event.changes)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
