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
  /** Another user's keys (admins only); default: the caller's own. */
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

/** What a limit counts: requests, executed root fields, or the operation's cost. */
export type LimitUnit = 'REQUESTS' | 'ROOT_FIELDS' | 'COST';

/** At most `limit` units in any span of `period_seconds`. `default` is `rate_limit_per_minute`. */
export interface KeyLimit {
  name: string;
  unit: LimitUnit;
  limit: number;
  period_seconds: number;
}

export interface KeyCredits {
  remaining: number;
  refill: { amount: number; interval: 'DAILY' | 'MONTHLY'; day_of_month: number | null } | null;
  refilled_at: string | null;
}

/** A key's budgets: its limits, its cap on one operation's estimated cost, its credits (null: unlimited). */
export interface KeyBudget {
  limits: KeyLimit[];
  max_operation_cost: number | null;
  credits: KeyCredits | null;
}

export interface UpdateKeyBudgetRequest {
  /** Named limits besides `default` (replaces the list). */
  limits?: Array<Omit<KeyLimit, 'name'> & { name: string }>;
  max_operation_cost?: number | null;
  credits?: { remaining: number; refill?: { amount: number; interval: 'DAILY' | 'MONTHLY'; day_of_month?: number } | null } | null;
}

/** `extensions.cost` of a key's response: what the request cost and what remains of each budget it paid into. */
export interface OperationCost {
  estimated: number;
  actual: number;
  limits: Array<{ name: string; unit: LimitUnit; limit: number; remaining: number; resetSeconds: number }>;
  credits: { remaining: number } | null;
}
