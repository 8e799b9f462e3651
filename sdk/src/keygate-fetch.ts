import type { DocumentTypeDecoration } from './typed-document.js';
import { KeygateError } from './errors.js';
import type { OperationCost } from './types.js';

export type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

export interface KeygateFetchOptions {
  /** Keygate's base URL (`http://localhost:8080`) or its GraphQL endpoint (`…/graphql`). */
  url: string;
  fetch?: FetchLike;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Authenticate every request with this client key instead of a user session. */
  clientKey?: string;
  /** Told what each key request cost and what remains (`extensions.cost`), refusals included. */
  onCost?: (cost: OperationCost) => void;
}

/** A typed GraphQL document: generated documents, or a plain string with explicit types. */
export type Document<TData, TVariables> = DocumentTypeDecoration<TData, TVariables> | string;

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  extensions?: { cost?: OperationCost };
}

/**
 * The transport every manager shares (like the seed's FluxbaseFetch): one endpoint,
 * one credential — a client key, or the bearer token of the current session.
 */
export class KeygateFetch {
  readonly endpoint: string;
  private readonly fetchFn: FetchLike;
  private bearer?: string;

  constructor(private readonly options: KeygateFetchOptions) {
    const base = options.url.replace(/\/+$/, '');
    this.endpoint = base.endsWith('/graphql') ? base : `${base}/graphql`;
    const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
    if (!fetchFn) throw new Error('No fetch implementation: pass `fetch` to createClient');
    // Browsers refuse a fetch called as a method of anything but the window ("Illegal invocation").
    this.fetchFn = options.fetch ?? fetchFn.bind(globalThis);
  }

  /** `extensions.cost` of the last response to a key: what it cost and what remains of its budgets. */
  lastCost?: OperationCost;

  /** The logged-in user's id while a session is held (a client key's owner is asked of `viewer`). */
  sessionUserId?: string;

  /** Sets (or clears) the session's access token. A configured client key takes precedence. */
  setAccessToken(token: string | undefined, userId?: string): void {
    this.bearer = token;
    this.sessionUserId = token && !this.options.clientKey ? userId : undefined;
  }

  async graphql<TData, TVariables>(document: Document<TData, TVariables>, variables?: TVariables): Promise<TData> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...this.options.headers };
    if (this.options.clientKey) headers['x-client-key'] = this.options.clientKey;
    else if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;

    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await this.fetchFn(this.endpoint, { method: 'POST', headers, body: JSON.stringify({ query: String(document), variables: variables ?? {} }) });
    } catch (err) {
      throw new KeygateError(`Could not reach Keygate at ${this.endpoint}: ${(err as Error).message}`, 'NETWORK_ERROR');
    }
    let body: GraphQLResponse<TData>;
    try {
      body = (await response.json()) as GraphQLResponse<TData>;
    } catch {
      throw new KeygateError(`Keygate answered HTTP ${response.status} without a GraphQL body`, 'BAD_RESPONSE', response.status);
    }
    const cost = body?.extensions?.cost;
    if (cost) {
      this.lastCost = cost;
      this.options.onCost?.(cost);
    }
    const error = body.errors?.[0];
    if (error) {
      const { code, ...details } = error.extensions ?? {};
      throw new KeygateError(error.message, typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', response.status, details);
    }
    if (body.data == null) throw new KeygateError('Keygate returned no data', 'BAD_RESPONSE', response.status);
    return body.data;
  }
}
