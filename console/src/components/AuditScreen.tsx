import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { messageOf } from '../apollo';
import { AuditLogDocument, KeyChoicesDocument, UserListDocument } from '../generated/graphql';
import { AuditFilters, type AuditFilterValues } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { Heading } from './Heading';

const PAGE = 50;

/** The audit log across keys: every event for admins, the caller's own for members. */
export function AuditScreen({ viewerId, admin }: { viewerId: string; admin: boolean }) {
  const [filters, setFilters] = useState<AuditFilterValues>({ action: '', clientKeyId: '', userId: '' });
  const log = useQuery(AuditLogDocument, {
    variables: { action: filters.action || undefined, clientKeyId: filters.clientKeyId || undefined, userId: filters.userId || undefined, first: PAGE },
    fetchPolicy: 'network-only',
  });
  // Members list their own keys (userId); admins everyone's.
  const keys = useQuery(KeyChoicesDocument, { variables: { userId: admin ? undefined : viewerId } });
  const users = useQuery(UserListDocument, { variables: { first: 100 }, skip: !admin });
  const keyList = keys.data?.clientKeys.nodes ?? [];
  const userList = users.data?.users.nodes ?? [];
  const connection = log.data?.auditEvents;

  const loadMore = () => {
    if (!connection?.pageInfo.endCursor) return;
    void log.fetchMore({
      variables: { after: connection.pageInfo.endCursor },
      updateQuery: (previous, { fetchMoreResult }) => ({
        auditEvents: { ...fetchMoreResult.auditEvents, nodes: [...previous.auditEvents.nodes, ...fetchMoreResult.auditEvents.nodes] },
      }),
    });
  };

  return (
    <>
      <Heading>Audit log</Heading>
      <AuditFilters values={filters} onChange={setFilters} keys={keyList} users={admin ? userList : null} />
      {log.error && (
        <p role="alert" className="error">
          Could not load the audit log: {messageOf(log.error)}
        </p>
      )}
      <h2 id="audit-log-heading" className="visually-hidden">
        Audit events
      </h2>
      {connection && (
        <p className="muted" role="status">
          {connection.totalCount} {connection.totalCount === 1 ? 'event' : 'events'}
        </p>
      )}
      {connection && connection.nodes.length > 0 && (
        <AuditTable
          events={connection.nodes}
          labelledBy="audit-log-heading"
          viewerId={viewerId}
          showKey
          keyNames={new Map(keyList.map((key) => [key.id, key.name]))}
          userEmails={new Map(userList.map((user) => [user.id, user.email]))}
        />
      )}
      {connection?.pageInfo.hasNextPage && (
        <button type="button" onClick={loadMore}>
          Show more events
        </button>
      )}
    </>
  );
}
