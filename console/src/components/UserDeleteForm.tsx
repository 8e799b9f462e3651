import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { DeleteUserDocument, UserListDocument } from '../generated/graphql';

/** Deleting a user deletes their keys too, so it asks for the email typed out, like revoking a key. */
export function UserDeleteForm({ id, email }: { id: string; email: string }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [remove, { loading }] = useMutation(DeleteUserDocument, { refetchQueries: [UserListDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (typed !== email) return;
    setError(null);
    try {
      await remove({ variables: { id } });
      location.hash = '#/users';
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <form onSubmit={submit}>
      <p className="muted">The user and every key they own are deleted at once; their audit trail is kept.</p>
      <label htmlFor="delete-confirm">
        Type the user’s email, <strong className="confirm-name">{email}</strong>, to confirm
      </label>
      <input id="delete-confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="danger" disabled={loading || typed !== email}>
        Delete user
      </button>
    </form>
  );
}
