import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { UpdateUserDocument } from '../generated/graphql';

/** Sets a new password; Keygate ends the user's sessions with it, so a leaked one stops at once. */
export function UserPasswordForm({ id }: { id: string }) {
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [update, { loading }] = useMutation(UpdateUserDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await update({ variables: { id, input: { password } } });
      setPassword('');
      setMessage({ text: 'Password reset: the user’s sessions have ended.', error: false });
    } catch (e) {
      setMessage({ text: messageOf(e), error: true });
    }
  };

  return (
    <form onSubmit={submit}>
      <label htmlFor="reset-password">New password</label>
      <input
        id="reset-password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-describedby="reset-password-help"
      />
      <p id="reset-password-help" className="muted">
        8 characters or more. Signs the user out everywhere.
      </p>
      <p role={message?.error ? 'alert' : 'status'} className={message?.error ? 'error' : 'muted'}>
        {message?.text}
      </p>
      <button type="submit" disabled={loading}>
        Reset password
      </button>
    </form>
  );
}
