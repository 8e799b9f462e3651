import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { SignInDocument } from '../generated/graphql';
import { sessionFrom, type SessionStore } from '../session';

export function SignIn({ sessions, notice }: { sessions: SessionStore; notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [signIn, { loading }] = useMutation(SignInDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { data } = await signIn({ variables: { email, password } });
      if (data) sessions.set(sessionFrom(data.login));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <main id="main" className="sign-in">
      <h1>Keygate console</h1>
      <p>Sign in to see and manage your client keys.</p>
      {notice && !error && <p role="status">{notice}</p>}
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="sign-in-email">Email</label>
        <input id="sign-in-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <label htmlFor="sign-in-password">Password</label>
        <input id="sign-in-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && (
          <p id="sign-in-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={loading}>
          Sign in
        </button>
      </form>
    </main>
  );
}
