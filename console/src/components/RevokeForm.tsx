import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { KeyAuditDocument, KeyListDocument, KeyListUsageDocument, RevokeKeyDocument } from '../generated/graphql';

/**
 * Revoking cannot be undone, so it asks for the key's name (as GitHub asks for a repository's) and a reason
 * for the audit trail: the button stays disabled until the name is typed exactly.
 */
export function RevokeForm({ id, name }: { id: string; name: string }) {
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [cascade, setCascade] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revoke, { loading }] = useMutation(RevokeKeyDocument, { refetchQueries: [KeyAuditDocument, KeyListDocument, KeyListUsageDocument] });
  const confirmed = typed === name && reason.trim() !== '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed) return;
    setError(null);
    try {
      await revoke({ variables: { id, reason: reason.trim(), cascade } });
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <form onSubmit={submit}>
      <p className="muted">A revoked key stops working at once, everywhere, and cannot be restored. It stays listed for the audit trail.</p>
      <label htmlFor="revoke-reason">Reason</label>
      <input id="revoke-reason" required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      <label htmlFor="revoke-confirm">
        Type the key’s name, <strong className="confirm-name">{name}</strong>, to confirm
      </label>
      <input id="revoke-confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
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
      <button type="submit" className="danger" disabled={loading || !confirmed}>
        Revoke key
      </button>
    </form>
  );
}
