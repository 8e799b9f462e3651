import { useQuery } from '@apollo/client/react';
import { messageOf } from '../apollo';
import { formatDate } from '../format';
import { UserPageDocument } from '../generated/graphql';
import { Heading } from './Heading';
import { Section } from './Section';
import { UserBudgetSection } from './UserBudgetSection';
import { UserDeleteForm } from './UserDeleteForm';
import { UserPasswordForm } from './UserPasswordForm';
import { UserRoleForm } from './UserRoleForm';

/** One user, for admins: role, password reset and deletion, each in its own section. */
export function UserScreen({ id, viewerId }: { id: string; viewerId: string }) {
  const { data, error, loading } = useQuery(UserPageDocument, { variables: { id } });
  const user = data?.user;
  const back = (
    <p>
      <a href="#/users">← All users</a>
    </p>
  );
  if (!user) {
    return (
      <>
        {back}
        <Heading>User</Heading>
        {loading && <p role="status">Loading…</p>}
        {error && (
          <p role="alert" className="error">
            {messageOf(error)}
          </p>
        )}
      </>
    );
  }
  return (
    <>
      {back}
      <Heading>User “{user.email}”</Heading>
      <dl className="facts">
        <dt>Role</dt>
        <dd>{user.role === 'ADMIN' ? 'Admin' : 'Member'}</dd>
        <dt>Created</dt>
        <dd>{formatDate(user.createdAt)}</dd>
        <dt>Last changed</dt>
        <dd>{formatDate(user.updatedAt)}</dd>
      </dl>
      <Section id="role" title="Change role">
        <UserRoleForm user={user} />
      </Section>
      <Section id="budget" title="Budget">
        <UserBudgetSection id={user.id} />
      </Section>
      <Section id="password" title="Reset password">
        <UserPasswordForm id={user.id} />
      </Section>
      {user.id !== viewerId && (
        <Section id="delete" title="Delete" tone="danger">
          <UserDeleteForm id={user.id} email={user.email} />
        </Section>
      )}
    </>
  );
}
