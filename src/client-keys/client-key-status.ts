import { registerEnumType } from 'type-graphql';

export enum ClientKeyStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(ClientKeyStatus, { name: 'ClientKeyStatus', description: 'Derived from revokedAt and expiresAt at the time of asking.' });
