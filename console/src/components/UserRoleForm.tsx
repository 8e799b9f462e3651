import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { UpdateUserDocument, type UserRole, UserListDocument, type UserRowFragment } from '../generated/graphql';

/** Admin or member. A demotion takes effect at once (Keygate re-reads the role on every request). */
export function UserRoleForm({ user }: { user: UserRowFragment }) {
  const [role, setRole] = useState<UserRole>(user.role);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [update, { loading }] = useMutation(UpdateUserDocument, { refetchQueries: [UserListDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (role === user.role) return setMessage({ text: 'Nothing changed.', error: false });
    try {
      await update({ variables: { id: user.id, input: { role } } });
      setMessage({ text: 'Role saved.', error: false });
    } catch (e) {
      setMessage({ text: messageOf(e), error: true });
    }
  };

  return (
    <form onSubmit={submit}>
      <label htmlFor="role-select">Role</label>
      <select id="role-select" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
        <option value="MEMBER">Member: manages their own keys</option>
        <option value="ADMIN">Admin: every scope, every user’s keys</option>
      </select>
      <p role={message?.error ? 'alert' : 'status'} className={message?.error ? 'error' : 'muted'}>
        {message?.text}
      </p>
      <button type="submit" className="primary" disabled={loading}>
        Save role
      </button>
    </form>
  );
}
