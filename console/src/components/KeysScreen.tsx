import { useQuery } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { messageOf } from '../apollo';
import { formatDate } from '../format';
import { KeyListDocument, KeyListUsageDocument } from '../generated/graphql';
import { keyHref } from '../route';
import { fillSeries, RANGES, windowOf } from '../usage';
import { CreateKeyForm } from './CreateKeyForm';
import { Heading } from './Heading';
import { SecretPanel } from './SecretPanel';
import { Sparkline } from './Sparkline';
import { StatusBadge } from './StatusBadge';

const PAGE = 50;
const MAX_PAGE = 100;

export function KeysScreen({ userId }: { userId: string }) {
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null);
  const keys = useQuery(KeyListDocument, { variables: { userId, first: PAGE } });
  const connection = keys.data?.clientKeys;
  const day = useMemo(() => windowOf(RANGES[0]), []);
  // Usage has its own query: if it fails, the table still lists the keys, without sparklines.
  // It follows the rows shown (up to the API's page limit of 100).
  const usageFirst = Math.min(MAX_PAGE, Math.max(PAGE, connection?.nodes.length ?? 0));
  const usage = useQuery(KeyListUsageDocument, { variables: { userId, first: usageFirst, since: day.since } });
  const usageById = new Map(usage.data?.clientKeys.nodes.map((node) => [node.id, fillSeries(node.usage, day.since, day.until, 'HOUR')]));

  const loadMore = () => {
    if (!connection?.pageInfo.endCursor) return;
    void keys.fetchMore({
      variables: { after: connection.pageInfo.endCursor },
      updateQuery: (previous, { fetchMoreResult }) => ({
        clientKeys: { ...fetchMoreResult.clientKeys, nodes: [...previous.clientKeys.nodes, ...fetchMoreResult.clientKeys.nodes] },
      }),
    });
  };

  return (
    <>
      <Heading>Your client keys</Heading>
      {created && <SecretPanel secret={created.secret} keyName={created.name} onDone={() => setCreated(null)} />}
      {keys.error && (
        <p role="alert" className="error">
          Could not load your keys: {messageOf(keys.error)}
        </p>
      )}
      {connection && (
        <div className="table-wrap">
          <table className="keys">
            <caption>
              {connection.totalCount === 0
                ? 'You have no keys yet: create one below.'
                : `${connection.totalCount} ${connection.totalCount === 1 ? 'key' : 'keys'}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Status</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">Last 24 hours</th>
              </tr>
            </thead>
            <tbody>
              {connection.nodes.map((key) => {
                const points = usageById.get(key.id);
                return (
                  <tr key={key.id}>
                    <th scope="row">
                      <a href={keyHref(key.id)}>{key.name}</a>
                    </th>
                    <td>
                      <code>{key.keyPrefix}</code>
                    </td>
                    <td>
                      <StatusBadge status={key.status} />
                    </td>
                    <td>{key.scopes.join(', ') || 'none'}</td>
                    <td>{formatDate(key.lastUsedAt)}</td>
                    <td>{points ? <Sparkline points={points} /> : <span className="muted">{usage.error || usage.data ? 'unavailable' : '…'}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {connection?.pageInfo.hasNextPage && (
        <button type="button" onClick={loadMore}>
          Show more keys
        </button>
      )}
      <CreateKeyForm onCreated={(secret, name) => setCreated({ secret, name })} />
    </>
  );
}
