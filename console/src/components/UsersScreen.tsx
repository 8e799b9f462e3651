import { useQuery } from '@apollo/client/react';
import { messageOf } from '../apollo';
import { UserListDocument } from '../generated/graphql';
import { CreateUserForm } from './CreateUserForm';
import { Heading } from './Heading';
import { UserTable } from './UserTable';

const PAGE = 50;

/** Admins: every user, and a form to add one. Each user's page changes the role, resets the password or deletes. */
export function UsersScreen({ viewerId }: { viewerId: string }) {
  const users = useQuery(UserListDocument, { variables: { first: PAGE } });
  const connection = users.data?.users;

  const loadMore = () => {
    if (!connection?.pageInfo.endCursor) return;
    void users.fetchMore({
      variables: { after: connection.pageInfo.endCursor },
      updateQuery: (previous, { fetchMoreResult }) => ({
        users: { ...fetchMoreResult.users, nodes: [...previous.users.nodes, ...fetchMoreResult.users.nodes] },
      }),
    });
  };

  return (
    <>
      <Heading>Users</Heading>
      {users.error && (
        <p role="alert" className="error">
          Could not load the users: {messageOf(users.error)}
        </p>
      )}
      {connection && (
        <UserTable users={connection.nodes} caption={`${connection.totalCount} ${connection.totalCount === 1 ? 'user' : 'users'}`} viewerId={viewerId} />
      )}
      {connection?.pageInfo.hasNextPage && (
        <button type="button" onClick={loadMore}>
          Show more users
        </button>
      )}
      <CreateUserForm />
    </>
  );
}
