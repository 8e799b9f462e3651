import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { fromLocalInput, parseCidrs, toLocalInput } from '../format';
import { KeyAuditDocument, type KeyDetailFragment, KeyListDocument, UpdateKeyDocument, type UpdateClientKeyInput } from '../generated/graphql';
import { ScopePicker } from './ScopePicker';

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Sends only what changed, so an untouched field never trips a policy (a key may not lengthen a life). */
export function EditKeyForm({ clientKey }: { clientKey: KeyDetailFragment }) {
  const [name, setName] = useState(clientKey.name);
  const [description, setDescription] = useState(clientKey.description ?? '');
  const [rateLimit, setRateLimit] = useState(String(clientKey.rateLimitPerMinute));
  const [expiresAt, setExpiresAt] = useState(toLocalInput(clientKey.expiresAt));
  const [scopes, setScopes] = useState<string[]>([...clientKey.scopes]);
  const [cidrs, setCidrs] = useState((clientKey.allowedCidrs ?? []).join('\n'));
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [update, { loading }] = useMutation(UpdateKeyDocument, { refetchQueries: [KeyAuditDocument, KeyListDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: UpdateClientKeyInput = {};
    if (name.trim() !== clientKey.name) input.name = name.trim();
    if (description.trim() !== (clientKey.description ?? '')) input.description = description.trim();
    if (Number(rateLimit) !== clientKey.rateLimitPerMinute) input.rateLimitPerMinute = Number(rateLimit);
    if (expiresAt !== toLocalInput(clientKey.expiresAt)) input.expiresAt = fromLocalInput(expiresAt);
    if (!sameList([...scopes].sort(), [...clientKey.scopes].sort())) input.scopes = scopes;
    const allowedCidrs = parseCidrs(cidrs);
    if (!sameList(allowedCidrs, clientKey.allowedCidrs ?? [])) input.allowedCidrs = allowedCidrs;
    if (Object.keys(input).length === 0) return setMessage({ text: 'Nothing changed.', error: false });
    try {
      await update({ variables: { id: clientKey.id, input } });
      setMessage({ text: 'Saved.', error: false });
    } catch (e) {
      setMessage({ text: messageOf(e), error: true });
    }
  };

  return (
    <form onSubmit={submit}>
      <label htmlFor="edit-name">Name</label>
      <input id="edit-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="edit-description">Description</label>
      <input id="edit-description" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
      <ScopePicker legend="Scopes" selected={scopes} onChange={setScopes} />
      <label htmlFor="edit-limit">Rate limit (requests per minute)</label>
      <input id="edit-limit" type="number" min={1} max={1_000_000} required value={rateLimit} onChange={(e) => setRateLimit(e.target.value)} />
      <label htmlFor="edit-expiry">Expires at (empty = never)</label>
      <input id="edit-expiry" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
      <label htmlFor="edit-cidrs">Allowed IP ranges (CIDRs, one per line; empty = anywhere)</label>
      <textarea id="edit-cidrs" rows={3} value={cidrs} onChange={(e) => setCidrs(e.target.value)} spellCheck={false} />
      <p role={message?.error ? 'alert' : 'status'} className={message?.error ? 'error' : 'muted'}>
        {message?.text}
      </p>
      <button type="submit" className="primary" disabled={loading}>
        Save changes
      </button>
    </form>
  );
}
