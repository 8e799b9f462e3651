/** GraphQL documents the tests share. */
export const KEY_FIELDS = `id name description keyPrefix scopes rateLimitPerMinute status createdAt updatedAt expiresAt revokedAt revokedReason lastUsedAt userId`;

export const CREATE_KEY = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { ${KEY_FIELDS} } } }`;
export const UPDATE_KEY = `mutation($id: ID!, $i: UpdateClientKeyInput!) { updateClientKey(id: $id, input: $i) { ${KEY_FIELDS} } }`;
export const ROTATE_KEY = `mutation($id: ID!, $g: Int!) { rotateClientKey(id: $id, gracePeriodSeconds: $g) { key clientKey { ${KEY_FIELDS} } } }`;
export const REVOKE_KEY = `mutation($id: ID!, $r: String) { revokeClientKey(id: $id, reason: $r) { ${KEY_FIELDS} } }`;
export const DELETE_KEY = `mutation($id: ID!) { deleteClientKey(id: $id) }`;
export const GET_KEY = `query($id: ID!) { clientKey(id: $id) { ${KEY_FIELDS} } }`;
export const LIST_KEYS = `query($first: Int, $after: String, $status: ClientKeyStatus, $userId: ID) {
  clientKeys(first: $first, after: $after, status: $status, userId: $userId) {
    totalCount nodes { ${KEY_FIELDS} } pageInfo { endCursor hasNextPage }
  }
}`;
export const AUDIT = `query($first: Int, $after: String, $action: String, $clientKeyId: ID, $userId: ID) {
  auditEvents(first: $first, after: $after, action: $action, clientKeyId: $clientKeyId, userId: $userId) {
    totalCount nodes { id action actorKind actorId clientKeyId userId ip userAgent changes createdAt } pageInfo { endCursor hasNextPage }
  }
}`;
export const VIEWER = `{ viewer { kind id userId scopes keyPrefix expiresAt rateLimitPerMinute } }`;

export function futureIso(seconds = 86_400): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}
