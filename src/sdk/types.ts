/** The seed SDK's shapes (ClientKeysManager reference), snake_case as documented. */

export interface ClientKey {
  id: string;
  name: string;
  description?: string | null;
  key_prefix: string;
  scopes: string[];
  rate_limit_per_minute: number;
  created_at: string;
  updated_at?: string | null;
  expires_at?: string | null;
  revoked_at?: string | null;
  last_used_at?: string | null;
  user_id: string;
}

export interface CreateClientKeyRequest {
  name: string;
  description?: string;
  scopes: string[];
  /** Requests per fixed one-minute window; Keygate's default is 60. */
  rate_limit_per_minute?: number;
  /** ISO-8601; must be in the future. */
  expires_at?: string;
}

export interface UpdateClientKeyRequest {
  name?: string;
  description?: string;
  scopes?: string[];
  rate_limit_per_minute?: number;
  /** ISO-8601 in the future, or null to remove the expiry. */
  expires_at?: string | null;
}

export interface CreateClientKeyResponse {
  client_key: ClientKey;
  /** The full secret: shown only here. */
  key: string;
}

export type RotateClientKeyResponse = CreateClientKeyResponse;

export interface ListClientKeysResponse {
  client_keys: ClientKey[];
  total: number;
}

export interface ListClientKeysOptions {
  status?: 'ACTIVE' | 'REVOKED' | 'EXPIRED';
  /** Admins only: one user's keys. */
  user_id?: string;
  /** At most this many keys (default: all of them). */
  limit?: number;
}

export interface RevokeClientKeyResponse {
  message: string;
}

export interface DeleteClientKeyResponse {
  message: string;
}

export interface ClientKeyUsageOptions {
  /** ISO-8601 or a Date; rounded down to the start of its interval. */
  since: string | Date;
  /** Exclusive; default now. */
  until?: string | Date;
  interval?: 'MINUTE' | 'HOUR' | 'DAY';
}

export interface UsageBucket {
  start: string;
  requests: number;
  /** Responses that carried an error other than a rate-limit refusal. */
  errors: number;
  rate_limited: number;
  /** Null when there were no requests. */
  mean_latency_ms: number | null;
}

export interface SessionUser {
  id: string;
  email: string;
  role: 'ADMIN' | 'MEMBER';
}

export interface Session {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  /** Epoch milliseconds when access_token expires. */
  expires_at: number;
  user: SessionUser;
}
