import { registerEnumType } from 'type-graphql';

export enum ClientKeyStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(ClientKeyStatus, {
  name: 'ClientKeyStatus',
  description: 'Derived from revokedAt and expiresAt at the time of asking.',
  valuesConfig: {
    ACTIVE: { description: 'Works.' },
    REVOKED: { description: 'Revoked: refused, kept listed for audit.' },
    EXPIRED: { description: 'Past expiresAt: refused.' },
  },
});
