import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../apollo';
import { fromLocalInput, parseCidrs } from '../format';
import { CreateKeyDocument, KeyListDocument, KeyListUsageDocument } from '../generated/graphql';
import { ScopePicker } from './ScopePicker';

/** Creates a key with any of the caller's own scopes (Keygate refuses others anyway). */
export function CreateKeyForm({ onCreated }: { onCreated: (secret: string, name: string) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [rateLimit, setRateLimit] = useState('60');
  const [expiresAt, setExpiresAt] = useState('');
  const [cidrs, setCidrs] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [create, { loading }] = useMutation(CreateKeyDocument, { refetchQueries: [KeyListDocument, KeyListUsageDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const allowedCidrs = parseCidrs(cidrs);
      const { data } = await create({
        variables: {
          input: {
            name: name.trim(),
            description: description.trim() || undefined,
            scopes,
            rateLimitPerMinute: Number(rateLimit),
            expiresAt: fromLocalInput(expiresAt) ?? undefined,
            ...(allowedCidrs.length ? { allowedCidrs } : {}),
          },
        },
      });
      if (!data) return;
      onCreated(data.createClientKey.key, data.createClientKey.clientKey.name);
      setName('');
      setDescription('');
      setScopes([]);
      setRateLimit('60');
      setExpiresAt('');
      setCidrs('');
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <section aria-labelledby="create-heading" className="panel">
      <h2 id="create-heading">Create a key</h2>
      <form onSubmit={submit}>
        <label htmlFor="create-name">Name</label>
        <input id="create-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="create-description">Description</label>
        <input id="create-description" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
        <ScopePicker legend="Scopes" selected={scopes} onChange={setScopes} />
        <label htmlFor="create-limit">Rate limit (requests per minute)</label>
        <input id="create-limit" type="number" min={1} max={1_000_000} required value={rateLimit} onChange={(e) => setRateLimit(e.target.value)} />
        <label htmlFor="create-expiry">Expires at (optional)</label>
        <input id="create-expiry" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
        <label htmlFor="create-cidrs">Allowed IP ranges (CIDRs, one per line; empty = anywhere)</label>
        <textarea id="create-cidrs" rows={2} value={cidrs} onChange={(e) => setCidrs(e.target.value)} spellCheck={false} placeholder="203.0.113.0/24" />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={loading}>
          Create key
        </button>
      </form>
    </section>
  );
}
