import { useQuery } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { messageOf } from '../apollo';
import { KeyListDocument, KeyListUsageDocument, type KeyRowFragment } from '../generated/graphql';
import { fillSeries, RANGES, windowOf } from '../usage';
import { CreateKeyForm } from './CreateKeyForm';
import { Heading } from './Heading';
import { KeyFilters, type KeyFilterValues } from './KeyFilters';
import { KeyTable } from './KeyTable';
import { SecretPanel } from './SecretPanel';

const PAGE = 50;
const MAX_PAGE = 100;

// A prefix typed in part, or a whole secret pasted (say, one found leaked): both find its key. Nothing leaves the page.
const matches = (key: KeyRowFragment, search: string) => {
  const needle = search.trim().toLowerCase();
  const prefix = key.keyPrefix.toLowerCase();
  return !needle || key.name.toLowerCase().includes(needle) || prefix.startsWith(needle) || needle.startsWith(prefix);
};

function captionOf(total: number, shown: number, searching: boolean, owner: KeyFilterValues['owner']): string {
  if (total === 0) return owner === 'me' ? 'You have no keys yet: create one below.' : 'No keys.';
  const counted = `${total} ${total === 1 ? 'key' : 'keys'}`;
  return searching ? `${shown} of ${counted} match the search` : counted;
}

export function KeysScreen({ userId, admin }: { userId: string; admin: boolean }) {
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null);
  const [filters, setFilters] = useState<KeyFilterValues>({ owner: 'me', status: '', search: '' });
  const owner = filters.owner === 'me' ? userId : filters.owner === 'all' ? undefined : filters.owner;
  const listed = { userId: owner, status: filters.status || undefined };
  const keys = useQuery(KeyListDocument, { variables: { ...listed, first: PAGE } });
  const connection = keys.data?.clientKeys;
  const day = useMemo(() => windowOf(RANGES[0]), []);
  // Usage has its own query: if it fails, the table still lists the keys, without sparklines.
  // It follows the rows shown (up to the API's page limit of 100).
  const usageFirst = Math.min(MAX_PAGE, Math.max(PAGE, connection?.nodes.length ?? 0));
  const usage = useQuery(KeyListUsageDocument, { variables: { ...listed, first: usageFirst, since: day.since } });
  const usageById = new Map(usage.data?.clientKeys.nodes.map((node) => [node.id, fillSeries(node.usage, day.since, day.until, 'HOUR')]));
  // The search runs over the keys loaded so far (the API has no text search); "Show more keys" widens it.
  const searching = filters.search.trim() !== '';
  const shown = connection?.nodes.filter((key) => matches(key, filters.search)) ?? [];

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
      <Heading>{filters.owner === 'me' ? 'Your client keys' : filters.owner === 'all' ? 'All client keys' : 'Client keys'}</Heading>
      {created && <SecretPanel secret={created.secret} keyName={created.name} onDone={() => setCreated(null)} />}
      <KeyFilters values={filters} admin={admin} onChange={setFilters} />
      {keys.error && (
        <p role="alert" className="error">
          Could not load the keys: {messageOf(keys.error)}
        </p>
      )}
      {connection && (
        <KeyTable
          keys={shown}
          caption={captionOf(connection.totalCount, shown.length, searching, filters.owner)}
          showOwner={filters.owner !== 'me'}
          usageById={usageById}
          usageState={usage.error || usage.data ? 'unavailable' : 'loading'}
        />
      )}
      {connection?.pageInfo.hasNextPage && (
        <p>
          {searching && <span className="muted">Searched the first {connection.nodes.length} keys. </span>}
          <button type="button" onClick={loadMore}>
            Show more keys
          </button>
        </p>
      )}
      <CreateKeyForm onCreated={(secret, name) => setCreated({ secret, name })} />
    </>
  );
}
