import { formatDate } from '../format';
import type { UserRowFragment } from '../generated/graphql';
import { userHref } from '../route';

const ROLES = { ADMIN: 'Admin', MEMBER: 'Member' } as const;

/** Users, newest first; cards on a narrow screen (`.cards`). */
export function UserTable({ users, caption, viewerId }: { users: readonly UserRowFragment[]; caption: string; viewerId: string }) {
  return (
    <table className="cards users">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id}>
            <th scope="row">
              <a href={userHref(user.id)}>{user.email}</a>
              {user.id === viewerId ? ' (you)' : ''}
            </th>
            <td data-label="Role">{ROLES[user.role]}</td>
            <td data-label="Created">{formatDate(user.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
