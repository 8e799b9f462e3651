import { formatDate } from '../format';
import type { KeyDetailFragment } from '../generated/graphql';
import { keyHref } from '../route';

/** What a key is, at a glance: the top of its page. */
export function KeyFacts({ clientKey: key, graceEnd }: { clientKey: KeyDetailFragment; graceEnd: string | null }) {
  return (
    <dl className="facts">
      <dt>Prefix</dt>
      <dd>
        <code>{key.keyPrefix}</code>
      </dd>
      <dt>Owner</dt>
      <dd>{key.owner.email}</dd>
      <dt>Description</dt>
      <dd>{key.description || '—'}</dd>
      <dt>Scopes</dt>
      <dd>{key.scopes.join(', ') || 'none'}</dd>
      <dt>Rate limit</dt>
      <dd>{key.rateLimitPerMinute.toLocaleString()} requests per minute</dd>
      <dt>Allowed IP ranges</dt>
      <dd>{key.allowedCidrs?.length ? key.allowedCidrs.join(', ') : 'anywhere'}</dd>
      <dt>Created</dt>
      <dd>
        {formatDate(key.createdAt)}
        {key.createdByKeyId ? (
          <>
            {' '}
            by <a href={keyHref(key.createdByKeyId)}>another key</a>
          </>
        ) : null}
      </dd>
      <dt>Last used</dt>
      <dd>{formatDate(key.lastUsedAt)}</dd>
      <dt>Expires</dt>
      <dd>{formatDate(key.expiresAt, 'never')}</dd>
      {graceEnd && (
        <>
          <dt>Old secret</dt>
          <dd data-testid="grace-end">Works until {formatDate(graceEnd)}</dd>
        </>
      )}
      {key.revokedAt && (
        <>
          <dt>Revoked</dt>
          <dd>
            {formatDate(key.revokedAt)}
            {key.revokedReason ? ` (${key.revokedReason})` : ''}
          </dd>
        </>
      )}
    </dl>
  );
}
