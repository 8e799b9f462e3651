import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { messageOf } from '../apollo';
import { formatDate } from '../format';
import { keyHref } from '../route';
import { KeyPageDocument } from '../generated/graphql';
import { AuditSection } from './AuditSection';
import { EditKeyForm } from './EditKeyForm';
import { Heading } from './Heading';
import { RevokeForm } from './RevokeForm';
import { RotateForm } from './RotateForm';
import { SecretPanel } from './SecretPanel';
import { StatusBadge } from './StatusBadge';
import { UsageSection } from './UsageSection';

export function KeyScreen({ id, viewerId }: { id: string; viewerId: string }) {
  const { data, error, loading } = useQuery(KeyPageDocument, { variables: { id } });
  const [secret, setSecret] = useState<string | null>(null);
  const key = data?.clientKey;

  if (!key) {
    return (
      <>
        <p>
          <a href="#/">← All keys</a>
        </p>
        <Heading>Key</Heading>
        {loading && <p role="status">Loading…</p>}
        {error && (
          <p role="alert" className="error">
            {messageOf(error)}
          </p>
        )}
      </>
    );
  }

  const active = key.status === 'ACTIVE';
  return (
    <>
      <p>
        <a href="#/">← All keys</a>
      </p>
      <Heading>
        Key “{key.name}” <StatusBadge status={key.status} />
      </Heading>
      {secret && <SecretPanel secret={secret} keyName={key.name} onDone={() => setSecret(null)} />}
      <dl className="facts">
        <dt>Prefix</dt>
        <dd>
          <code>{key.keyPrefix}</code>
        </dd>
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
      <UsageSection id={key.id} />
      {active && <EditKeyForm clientKey={key} />}
      {active && <RotateForm id={key.id} onRotated={setSecret} />}
      {key.status !== 'REVOKED' && <RevokeForm id={key.id} />}
      <AuditSection id={key.id} viewerId={viewerId} />
    </>
  );
}
