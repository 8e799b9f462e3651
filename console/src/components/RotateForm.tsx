import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { KeyAuditDocument, type KeyDetailFragment, RotateKeyDocument } from '../generated/graphql';

/** A rotation's new secret, and when the old one stops working (null: at once). */
export interface Rotation {
  secret: string;
  graceEnd: string | null;
}

/**
 * The old secret's end, as Keygate works it out: the grace period from the rotation (the key's updatedAt,
 * the server's clock), never past the key's expiry.
 */
function graceEndOf(rotatedAt: string, graceSeconds: number, expiresAt: string | null | undefined): string | null {
  if (graceSeconds <= 0) return null;
  const end = Math.min(Date.parse(rotatedAt) + graceSeconds * 1000, expiresAt ? Date.parse(expiresAt) : Infinity);
  return new Date(end).toISOString();
}

/** A new secret for the same key; the old one keeps working for the grace period (never past the expiry). */
export function RotateForm({ clientKey, onRotated }: { clientKey: KeyDetailFragment; onRotated: (rotation: Rotation) => void }) {
  const [grace, setGrace] = useState('3600');
  const [error, setError] = useState<string | null>(null);
  const [rotate, { loading }] = useMutation(RotateKeyDocument, { refetchQueries: [KeyAuditDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const seconds = Number(grace);
      const { data } = await rotate({ variables: { id: clientKey.id, gracePeriodSeconds: seconds } });
      if (!data) return;
      const rotated = data.rotateClientKey.clientKey;
      onRotated({ secret: data.rotateClientKey.key, graceEnd: graceEndOf(rotated.updatedAt, seconds, rotated.expiresAt) });
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <form onSubmit={submit}>
      <label htmlFor="rotate-grace">Grace period for the old secret (seconds)</label>
      <input
        id="rotate-grace"
        type="number"
        min={0}
        max={2_592_000}
        required
        value={grace}
        onChange={(e) => setGrace(e.target.value)}
        aria-describedby="rotate-help"
      />
      <p id="rotate-help" className="muted">
        The old secret keeps working this long (at most 30 days, never past the key’s expiry); 0 stops it at once.
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
  );
}
