import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { KeyAuditDocument, RotateKeyDocument } from '../generated/graphql';

/** A new secret for the same key; the old one keeps working for the grace period (never past the expiry). */
export function RotateForm({ id, onRotated }: { id: string; onRotated: (secret: string) => void }) {
  const [grace, setGrace] = useState('3600');
  const [error, setError] = useState<string | null>(null);
  const [rotate, { loading }] = useMutation(RotateKeyDocument, { refetchQueries: [KeyAuditDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { data } = await rotate({ variables: { id, gracePeriodSeconds: Number(grace) } });
      if (data) onRotated(data.rotateClientKey.key);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <section aria-labelledby="rotate-heading" className="panel">
      <h2 id="rotate-heading">Rotate</h2>
      <form onSubmit={submit}>
        <label htmlFor="rotate-grace">Grace period for the old secret (seconds)</label>
        <input id="rotate-grace" type="number" min={0} required value={grace} onChange={(e) => setGrace(e.target.value)} aria-describedby="rotate-help" />
        <p id="rotate-help" className="muted">
          The old secret keeps working this long (never past the key’s expiry); 0 stops it at once.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={loading}>
          Rotate key
        </button>
      </form>
    </section>
  );
}
