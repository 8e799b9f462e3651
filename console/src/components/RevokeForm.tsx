import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { KeyAuditDocument, KeyListDocument, KeyListUsageDocument, RevokeKeyDocument } from '../generated/graphql';

export function RevokeForm({ id }: { id: string }) {
  const [reason, setReason] = useState('');
  const [cascade, setCascade] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revoke, { loading }] = useMutation(RevokeKeyDocument, { refetchQueries: [KeyAuditDocument, KeyListDocument, KeyListUsageDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await revoke({ variables: { id, reason: reason.trim() || undefined, cascade } });
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <section aria-labelledby="revoke-heading" className="panel danger">
      <h2 id="revoke-heading">Revoke</h2>
      <form onSubmit={submit}>
        <p className="muted">A revoked key stops working at once, everywhere, and cannot be restored. It stays listed for the audit trail.</p>
        <label htmlFor="revoke-reason">Reason</label>
        <input id="revoke-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} aria-describedby="revoke-cascade-help" /> Also revoke the keys
          this key created
        </label>
        <p id="revoke-cascade-help" className="muted">
          Cascade: keys minted with this key, and the keys they minted in turn.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="danger" disabled={loading}>
          Revoke key
        </button>
      </form>
    </section>
  );
}
