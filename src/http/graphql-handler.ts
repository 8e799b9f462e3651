import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import Negotiator from 'negotiator';
import type { DataSource } from 'typeorm';
import type { Authenticator } from '../auth/authenticator';
import { Loaders } from '../users/loaders';
import type { Principal } from '../identity/principal';
import type { Services } from '../identity/graphql-context';
import { GraphQLError } from 'graphql';
import { HttpRequestError, QuotaExceededError, RateLimitedError } from '../errors/app-errors';
import { errorBody, responseHead } from '../errors/error-policy';
import type { PipelineContext } from '../execution/pipeline-plugin';
import { newOutcome, OUTCOME, type RequestDoneListener, type RequestOutcome } from '../execution/request-outcome';
import { noteCaller } from '../logging/access-log';
import type { Logger } from '../logging/logger';
import { linkRecord, requestRecord } from '../logging/request-record';
import { markPhase, TRACE_ATTRIBUTES, traceAttribute } from '../tracing/request-span';
import { RequestUsage } from '../usage/request-usage';
import type { UsageRecorder } from '../usage/usage-recorder';
import type { ProxyTrust } from '../config/trust-proxy';
import { clientAddress } from './client-address';
import { PayloadTooLargeError, readBody } from './read-body';

/** A check on an authenticated caller and its address; throws (a typed AppError) to refuse. */
export type AdmissionCheck = (principal: Principal, ip: string) => void | Promise<void>;

export interface GraphQLHandlerDeps {
  apollo: ApolloServer<PipelineContext>;
  authenticator: Authenticator;
  services: Services;
  db: DataSource;
  logger: Logger;
  bodyLimit: number;
  trustProxy: ProxyTrust;
  /** Per-key usage counting: each client-key request is reported once, when it is answered. */
  usageRecorder?: UsageRecorder;
}

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];
const CONTENT_TYPES: Record<string, string> = {
  'application/json': 'application/json; charset=utf-8',
  'application/graphql-response+json': 'application/graphql-response+json; charset=utf-8',
};

/**
 * The request headers Apollo Server reads (CSRF prevention, the GET media-type check, Accept
 * negotiation). Only these are handed to it: the client's credentials and cookies stay out of
 * Apollo's request context, where any plugin or executor could read them.
 */
const APOLLO_READS = ['content-type', 'accept', 'apollo-require-preflight', 'x-apollo-operation-name'] as const;

/** Refused by one of Keygate's own budgets (not an upstream's RATE_LIMITED, which is an error like any other). */
function isBudgetRefusal(error: unknown): boolean {
  const original = error instanceof GraphQLError ? error.originalError : error;
  return original instanceof RateLimitedError || original instanceof QuotaExceededError;
}

/** The client's X-Request-Id when it is a sane token, otherwise a new one (it travels on to upstreams). */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:@/+=-]{1,128}$/.test(given) ? given : randomUUID();
}

function isJson(contentType: string | undefined): boolean {
  // The spelling nearly every client sends needs no splitting.
  if (contentType === 'application/json') return true;
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql-response+json';
}

/** Accept headers seen, with the JSON media type each one picks (null: neither). Clients send few distinct ones. */
const negotiated = new Map<string, string | null>();
const MAX_REMEMBERED_ACCEPTS = 256;

function preferredJsonType(accept: string): string | null {
  let preferred = negotiated.get(accept);
  if (preferred === undefined) {
    preferred = new Negotiator({ headers: { accept } }).mediaType(JSON_TYPES) ?? null;
    if (negotiated.size >= MAX_REMEMBERED_ACCEPTS) negotiated.clear();
    negotiated.set(accept, preferred);
  }
  return preferred;
}

/** The media type of a response Keygate writes itself, negotiated as Apollo negotiates its own. */
function negotiatedType(accept: string | undefined): string {
  return CONTENT_TYPES[(accept && preferredJsonType(accept)) || 'application/json'];
}

/**
 * The media type this request is answered with, negotiated here once per distinct Accept header
 * (Apollo would parse the header twice per request), or undefined when the header accepts
 * neither JSON type: Apollo then sees it unchanged and refuses it with 406. Keygate's schema
 * has no @defer or @stream, so only the two JSON types can be answered.
 */
function answeredType(accept: string | undefined): string | undefined {
  if (accept === undefined) return CONTENT_TYPES['application/json'];
  const preferred = preferredJsonType(accept);
  return preferred === null ? undefined : CONTENT_TYPES[preferred];
}

/**
 * The one path of every GraphQL request, whatever its method, Accept header or client, in named
 * phases, each decision made once:
 *  - read: the HTTP body, within BODY_LIMIT_BYTES;
 *  - authenticate: the credential (synchronous for a cached key);
 *  - admit: the caller's address (the onAuthenticated checks, before any GraphQL is read); then,
 *    inside Apollo once the document is parsed and validated, `execution/pipeline-plugin.ts`: the
 *    request's own refusals, its root fields and estimated cost, and a key's budgets, all or nothing;
 *  - execute: Apollo, once;
 *  - settle: the actual cost, refunds, credits, `extensions.cost` (the same plugin);
 *  - respond: `errors/error-policy.ts` picks the status and headers from the response's error objects;
 *  - record: usage and the `onRequestDone` listeners (access log, metrics).
 * A request refused before Apollo (read, authenticate, the address) is answered by the same error policy, without Apollo.
 */
export class GraphQLHandler {
  private readonly listeners: RequestDoneListener[] = [];
  private readonly checks: AdmissionCheck[] = [];

  constructor(private readonly deps: GraphQLHandlerDeps) {}

  /** Called once per GraphQL request, after its response is written (usage counting, access logs). */
  onRequestDone(listener: RequestDoneListener): void {
    this.listeners.push(listener);
  }

  /**
   * Adds a check on an authenticated caller, run before anything else is spent on the request
   * (e.g. a key's allowed addresses): throwing refuses the request through the error policy.
   */
  onAuthenticated(check: AdmissionCheck): void {
    this.checks.push(check);
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    const started = performance.now();
    const outcome = newOutcome();
    const usage: { current?: RequestUsage } = {};
    try {
      await this.run(req, res, search, outcome, usage);
    } finally {
      outcome.status = res.statusCode;
      outcome.latencyMs = performance.now() - started;
      // Record: Keygate's own budget refusal is counted as such; any other error, an upstream's RATE_LIMITED included, is an error.
      outcome.rateLimited = outcome.errors.some(isBudgetRefusal);
      markPhase(req, 'record');
      traceAttribute(req, TRACE_ATTRIBUTES.operationName, outcome.operationName);
      traceAttribute(req, TRACE_ATTRIBUTES.costEstimated, outcome.budget?.estimated);
      traceAttribute(req, TRACE_ATTRIBUTES.costActual, outcome.used?.cost);
      if (usage.current) {
        const errored = outcome.errors.some((e) => !isBudgetRefusal(e));
        usage.current.finish(errored, outcome.rateLimited, outcome.used);
      }
      for (const listener of this.listeners) {
        try {
          listener(outcome);
        } catch (err) {
          this.deps.logger.error({ err }, 'an onRequestDone listener failed');
        }
      }
    }
  };

  private async run(req: IncomingMessage, res: ServerResponse, search: string, outcome: RequestOutcome, usage: { current?: RequestUsage }): Promise<void> {
    const { apollo, authenticator } = this.deps;

    // Read.
    markPhase(req, 'read');
    let body: unknown;
    if (req.method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(req, this.deps.bodyLimit);
      } catch (err) {
        if (!(err instanceof PayloadTooLargeError)) throw err;
        return this.refuse(req, res, outcome, new HttpRequestError('PAYLOAD_TOO_LARGE', `Request body is larger than ${this.deps.bodyLimit} bytes`));
      }
      if (isJson(req.headers['content-type']) && raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return this.refuse(req, res, outcome, new HttpRequestError('BAD_REQUEST', 'Request body is not valid JSON'));
        }
      }
    }

    // Authenticate.
    markPhase(req, 'authenticate');
    let principal: Principal | undefined;
    try {
      const authenticated = authenticator.authenticate(req.headers);
      principal = authenticated instanceof Promise ? await authenticated : authenticated;
    } catch (err) {
      return this.refuse(req, res, outcome, err);
    }
    outcome.principal = principal;
    if (principal?.kind === 'CLIENT_KEY') traceAttribute(req, TRACE_ATTRIBUTES.keyPrefix, principal.keyPrefix);
    noteCaller(req, principal); // for the access log line, even when the request is refused below
    // Counted from here, refusals included; reported once the response is written.
    if (principal?.kind === 'CLIENT_KEY' && this.deps.usageRecorder) usage.current = new RequestUsage(this.deps.usageRecorder, principal.id);
    // The request listener has read it already when the access log may be written.
    const ip = requestRecord(req).ip ?? clientAddress(req, this.deps.trustProxy);
    markPhase(req, 'admit');
    if (principal) {
      try {
        for (const check of this.checks) {
          const checked = check(principal, ip);
          if (checked) await checked;
        }
      } catch (err) {
        return this.refuse(req, res, outcome, err);
      }
    }

    // Admit, execute, settle: Apollo and the pipeline plugin (which marks 'execute' and 'settle' on the trace).
    // Bound, not an arrow function: an arrow made here would hold this function's whole scope, and
    // kept on the outcome it made young garbage survive V8's scavenges (--trace-gc-nvp: 5.5 MB kept
    // per scavenge instead of 1.7 MB, 20% more CPU per request; bench/budgets.ts shows it).
    outcome.phase = markPhase.bind(undefined, req);
    const contextValue: PipelineContext = {
      principal,
      ip,
      userAgent: req.headers['user-agent'] ?? null,
      services: this.deps.services,
      loaders: new Loaders(this.deps.db),
      requestId: requestIdOf(req),
      usage: usage.current,
      [OUTCOME]: outcome,
    };
    // Apollo plugins reach the access log's record through the context (execution/pipeline-plugin.ts).
    linkRecord(req, contextValue);
    // Once the media type is settled here, Apollo is handed an empty Accept: it then answers JSON
    // (the same body either way) without negotiating, and its per-request check for incremental
    // delivery (@defer/@stream, which Keygate's schema lacks) has no media range to parse.
    const mediaType = answeredType(req.headers.accept);
    const headers = new HeaderMap();
    for (const name of APOLLO_READS) {
      const value = name === 'accept' && mediaType ? '' : req.headers[name];
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
      context: async () => contextValue,
    });

    // Respond: status and headers, in one place, from the error objects.
    markPhase(req, 'respond');
    const head: Record<string, string | number> = {};
    for (const [name, value] of response.headers) head[name] = value;
    if (mediaType) head['content-type'] = mediaType;
    let status = response.status ?? 200;
    if (outcome.errors.length > 0) {
      const decided = responseHead(outcome.errors, mediaType ?? response.headers.get('content-type'));
      status = decided.status;
      Object.assign(head, decided.headers);
    } else if (status >= 400) {
      // Refused by Apollo before any GraphQL was read (CSRF, request shape, method, media type):
      // its status stands (400, 405, 406, 415), and the outcome records the refusal.
      outcome.errors = [new HttpRequestError('BAD_REQUEST', 'Refused by Apollo Server before any GraphQL was read')];
    }
    // A key's budgets, as the settle phase left them (execution/pipeline-plugin.ts).
    if (outcome.rateLimitHeaders) Object.assign(head, outcome.rateLimitHeaders);
    head['cache-control'] ??= 'no-store';

    // Write.
    if (response.body.kind === 'complete') {
      const payload = response.body.string;
      head['content-length'] = Buffer.byteLength(payload);
      res.writeHead(status, head);
      res.end(payload);
      return;
    }
    res.writeHead(status, head);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /** Answers a request refused before Apollo saw it: a malformed body, a bad credential. */
  private refuse(req: IncomingMessage, res: ServerResponse, outcome: RequestOutcome, error: unknown): void {
    outcome.errors = [error];
    const contentType = negotiatedType(req.headers.accept);
    const { status, headers } = responseHead(outcome.errors, contentType);
    const payload = errorBody(outcome.errors, this.deps.logger);
    res.writeHead(status, { ...headers, 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  }
}
