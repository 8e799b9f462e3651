import { useEffect, useRef, useState } from 'react';

/**
 * A key's secret, shown once (after create or rotate). It lives only in this component's state: dismissing
 * the panel or leaving the page forgets it, and Keygate cannot show it again.
 */
export function SecretPanel({ secret, keyName, note, onDone }: { secret: string; keyName: string; note?: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <section className="secret-panel" aria-labelledby="secret-heading">
      <h2 id="secret-heading" tabIndex={-1} ref={heading}>
        Secret for “{keyName}”
      </h2>
      <p className="warning" id="secret-warning">
        <strong>Copy this secret now.</strong> This is the only time it is shown: Keygate stores only a hash of it, so it cannot be shown again. If you lose it,
        rotate the key.
      </p>
      {note && <p className="grace-note">{note}</p>}
      <label htmlFor="secret-value">Secret key</label>
      <div className="secret-row">
        <input
          id="secret-value"
          className="secret"
          readOnly
          value={secret}
          aria-describedby="secret-warning"
          onFocus={(e) => e.target.select()}
          spellCheck={false}
        />
        <button type="button" className="primary" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" className="copy-status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not copy: select the secret and copy it yourself.' : ''}
      </p>
      <button type="button" onClick={onDone}>
        I have stored the secret
      </button>
    </section>
  );
}
