import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { CreateUserDocument, type UserRole, UserListDocument } from '../generated/graphql';

/** A new user who can sign in at once with the password given here (tell them to keep it private). */
export function CreateUserForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<UserRole>('MEMBER');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [create, { loading }] = useMutation(CreateUserDocument, { refetchQueries: [UserListDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { data } = await create({ variables: { input: { email: email.trim(), password, role } } });
      if (!data) return;
      setMessage({ text: `Created ${data.createUser.email}.`, error: false });
      setEmail('');
      setPassword('');
      setRole('MEMBER');
    } catch (e) {
      setMessage({ text: messageOf(e), error: true });
    }
  };

  return (
    <section aria-labelledby="create-user-heading" className="panel">
      <h2 id="create-user-heading">Create a user</h2>
      <form onSubmit={submit}>
        <label htmlFor="user-email">Email</label>
        <input id="user-email" type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="user-password">Password</label>
        <input
          id="user-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby="user-password-help"
        />
        <p id="user-password-help" className="muted">
          8 characters or more.
        </p>
        <label htmlFor="user-role">Role</label>
        <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          <option value="MEMBER">Member</option>
          <option value="ADMIN">Admin</option>
        </select>
        <p role={message?.error ? 'alert' : 'status'} className={message?.error ? 'error' : 'muted'}>
          {message?.text}
        </p>
        <button type="submit" className="primary" disabled={loading}>
          Create user
        </button>
      </form>
    </section>
  );
}
