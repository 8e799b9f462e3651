import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { messageOf } from '../apollo';
import { formatDate } from '../format';
import { KeyAuditDocument, KeyPageDocument } from '../generated/graphql';
import { AuditSection } from './AuditSection';
import { BudgetSection } from './BudgetSection';
import { EditKeyForm } from './EditKeyForm';
import { Heading } from './Heading';
import { KeyFacts } from './KeyFacts';
import { RevokeForm } from './RevokeForm';
import { type Rotation, RotateForm } from './RotateForm';
import { SecretPanel } from './SecretPanel';
import { Section } from './Section';
import { StatusBadge } from './StatusBadge';
import { UsageSection } from './UsageSection';

function graceNote(graceEnd: string | null): string {
  return graceEnd ? `The old secret keeps working until ${formatDate(graceEnd)}; after that only this one does.` : 'The old secret stopped working at once.';
}

/** The end of the last rotation's grace, as Keygate recorded it, while it is still ahead (so a reload shows it too). */
function recordedGraceEnd(events: ReadonlyArray<{ action: string; changes: unknown }> | undefined): string | null {
  const rotated = events?.find((event) => event.action === 'client_key.rotated');
  const end = (rotated?.changes as { previousKeyExpiresAt?: unknown } | undefined)?.previousKeyExpiresAt;
  return typeof end === 'string' && Date.parse(end) > Date.now() ? end : null;
}

export function KeyScreen({ id, viewerId }: { id: string; viewerId: string }) {
  const { data, error, loading } = useQuery(KeyPageDocument, { variables: { id } });
  const [created, setCreated] = useState<Rotation | null>(null);
  // Shares the audit section's events (the cache): no query of its own.
  const audit = useQuery(KeyAuditDocument, { variables: { id, first: 50 }, fetchPolicy: 'cache-only' });
  const key = data?.clientKey;
  // Until the audit arrives, the end worked out from the rotation's answer.
  const graceEnd = recordedGraceEnd(audit.data?.auditEvents.nodes) ?? created?.graceEnd ?? null;
  const back = (
    <p>
      <a href="#/">← All keys</a>
    </p>
  );

  if (!key) {
    return (
      <>
        {back}
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
      {back}
      <Heading>
        Key “{key.name}” <StatusBadge status={key.status} />
      </Heading>
      {created && (
        <SecretPanel secret={created.secret} keyName={key.name} note={graceNote(created.graceEnd ? graceEnd : null)} onDone={() => setCreated(null)} />
      )}
      <KeyFacts clientKey={key} graceEnd={graceEnd} />
      <Section id="usage" title="Usage">
        <UsageSection id={key.id} />
      </Section>
      <Section id="budget" title="Budget">
        <BudgetSection id={key.id} />
      </Section>
      {active && (
        <Section id="edit" title="Edit">
          <EditKeyForm clientKey={key} />
        </Section>
      )}
      {active && (
        <Section id="rotate" title="Rotate">
          <RotateForm clientKey={key} onRotated={setCreated} />
        </Section>
      )}
      {key.status !== 'REVOKED' && (
        <Section id="revoke" title="Revoke" tone="danger">
          <RevokeForm id={key.id} name={key.name} />
        </Section>
      )}
      <Section id="audit" title="Audit events">
        <AuditSection id={key.id} viewerId={viewerId} />
      </Section>
    </>
  );
}
