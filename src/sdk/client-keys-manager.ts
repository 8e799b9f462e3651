import {
  SdkClientKeyUsageDocument,
  SdkCreateClientKeyDocument,
  SdkDeleteClientKeyDocument,
  SdkGetClientKeyDocument,
  SdkListClientKeysDocument,
  SdkRevokeClientKeyDocument,
  SdkRotateClientKeyDocument,
  SdkUpdateClientKeyDocument,
  type SdkClientKeyFragment,
  type SdkListClientKeysQuery,
  type UpdateClientKeyInput,
} from './generated/graphql';
import type { KeygateFetch } from './keygate-fetch';
import type {
  ClientKey,
  ClientKeyUsageOptions,
  CreateClientKeyRequest,
  CreateClientKeyResponse,
  DeleteClientKeyResponse,
  ListClientKeysOptions,
  ListClientKeysResponse,
  RevokeClientKeyResponse,
  RotateClientKeyResponse,
  UpdateClientKeyRequest,
  UsageBucket,
} from './types';

const PAGE_SIZE = 100;

function toClientKey(k: SdkClientKeyFragment): ClientKey {
  return {
    id: k.id,
    name: k.name,
    description: k.description,
    key_prefix: k.keyPrefix,
    scopes: k.scopes,
    rate_limit_per_minute: k.rateLimitPerMinute,
    created_at: k.createdAt,
    updated_at: k.updatedAt,
    expires_at: k.expiresAt,
    revoked_at: k.revokedAt,
    last_used_at: k.lastUsedAt,
    user_id: k.userId,
  };
}

/**
 * Client Keys management client: create, list, get, update, rotate, revoke and delete
 * the keys that let services call Keygate without a user's credentials.
 */
export class ClientKeysManager {
  constructor(private readonly fetch: KeygateFetch) {}

  /** Creates a key; the response holds the full key, which is never shown again. */
  async create(request: CreateClientKeyRequest): Promise<CreateClientKeyResponse> {
    const data = await this.fetch.graphql(SdkCreateClientKeyDocument, {
      input: {
        name: request.name,
        description: request.description,
        scopes: request.scopes,
        rateLimitPerMinute: request.rate_limit_per_minute,
        expiresAt: request.expires_at,
      },
    });
    return { client_key: toClientKey(data.createClientKey.clientKey), key: data.createClientKey.key };
  }

  /** Lists the caller's keys (an admin's: everyone's), newest first, following every page. */
  async list(options: ListClientKeysOptions = {}): Promise<ListClientKeysResponse> {
    const limit = options.limit ?? Infinity;
    const clientKeys: ClientKey[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const first = Math.min(PAGE_SIZE, limit - clientKeys.length);
      const data: SdkListClientKeysQuery = await this.fetch.graphql(SdkListClientKeysDocument, { first, after, status: options.status, userId: options.user_id });
      total = data.clientKeys.totalCount;
      clientKeys.push(...data.clientKeys.nodes.map(toClientKey));
      after = data.clientKeys.pageInfo.hasNextPage ? data.clientKeys.pageInfo.endCursor : null;
    } while (after && clientKeys.length < limit);
    return { client_keys: clientKeys, total };
  }

  async get(keyId: string): Promise<ClientKey> {
    const data = await this.fetch.graphql(SdkGetClientKeyDocument, { id: keyId });
    return toClientKey(data.clientKey);
  }

  async update(keyId: string, updates: UpdateClientKeyRequest): Promise<ClientKey> {
    const input: UpdateClientKeyInput = {
      name: updates.name,
      description: updates.description,
      scopes: updates.scopes,
      rateLimitPerMinute: updates.rate_limit_per_minute,
      expiresAt: updates.expires_at,
    };
    const data = await this.fetch.graphql(SdkUpdateClientKeyDocument, { id: keyId, input });
    return toClientKey(data.updateClientKey);
  }

  /** Issues a new secret for the same key; the old one works for `gracePeriodSeconds` more (default 0). */
  async rotate(keyId: string, options: { gracePeriodSeconds?: number } = {}): Promise<RotateClientKeyResponse> {
    const data = await this.fetch.graphql(SdkRotateClientKeyDocument, { id: keyId, gracePeriodSeconds: options.gracePeriodSeconds ?? 0 });
    return { client_key: toClientKey(data.rotateClientKey.clientKey), key: data.rotateClientKey.key };
  }

  /** Revoked keys stop working at once but stay listed for audit. */
  async revoke(keyId: string, reason?: string): Promise<RevokeClientKeyResponse> {
    await this.fetch.graphql(SdkRevokeClientKeyDocument, { id: keyId, reason });
    return { message: 'Client key revoked' };
  }

  /** Permanently removes the key (its audit events are kept). */
  async delete(keyId: string): Promise<DeleteClientKeyResponse> {
    await this.fetch.graphql(SdkDeleteClientKeyDocument, { id: keyId });
    return { message: 'Client key deleted' };
  }

  /** The key's traffic per interval (default HOUR) from `since` to `until` (default now), oldest first. */
  async usage(keyId: string, options: ClientKeyUsageOptions): Promise<UsageBucket[]> {
    const iso = (d: string | Date | undefined) => (d instanceof Date ? d.toISOString() : d);
    const data = await this.fetch.graphql(SdkClientKeyUsageDocument, { id: keyId, since: iso(options.since)!, until: iso(options.until), interval: options.interval });
    return data.clientKey.usage.map((b) => ({
      start: b.start,
      requests: b.requests,
      errors: b.errors,
      rate_limited: b.rateLimited,
      mean_latency_ms: b.meanLatencyMs,
    }));
  }
}
