import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import { RateLimitedError } from '../errors/app-errors';
import { clientAddress } from '../http/client-address';
import { checkClientAddress } from '../ip-allowlist/check-client-address';
import { noteCaller } from '../logging/access-log';
import type { KeyRateLimiter } from '../rate-limiting/key-rate-limiter';
import { RequestUsage } from '../usage/request-usage';
import type { UsageRecorder } from '../usage/usage-recorder';
import type { Authenticator } from './authenticator';
import type { GraphQLContext } from './graphql-context';
import { Loaders } from './loaders';
import type { Services } from './services';

/** The client's X-Request-Id when it is a sane token, otherwise a new one (it travels on to upstreams). */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:@/+=-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Builds each request's context: who is calling, and, for a client key, whether its
 * per-minute budget allows this request (the RateLimit headers go on the response either way).
 */
export class ContextFactory {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly rateLimiter: KeyRateLimiter,
    private readonly services: Services,
    private readonly db: DataSource,
    private readonly trustProxy: boolean,
    private readonly usageRecorder?: UsageRecorder,
  ) {}

  async create(req: IncomingMessage, responseHeaders: Map<string, string>): Promise<GraphQLContext> {
    const authenticated = this.authenticator.authenticate(req.headers);
    // A cached key or an anonymous call is answered synchronously: no extra await for them.
    const principal = authenticated instanceof Promise ? await authenticated : authenticated;
    const ip = clientAddress(req, this.trustProxy);
    let usage: RequestUsage | undefined;
    noteCaller(req, principal); // for the access log line, even when the rate limit refuses
    if (principal?.kind === 'CLIENT_KEY') {
      // Counted from here; refusals below are reported at once, anything else when the response is ready.
      if (this.usageRecorder) usage = new RequestUsage(this.usageRecorder, principal.id);
      try {
        checkClientAddress(principal, ip);
      } catch (err) {
        usage?.finish(true);
        throw err;
      }
      let headers: Record<string, string>;
      try {
        headers = await this.rateLimiter.consume(principal.id, principal.rateLimitPerMinute);
      } catch (err) {
        const refused = err instanceof RateLimitedError;
        usage?.finish(!refused, refused);
        throw err;
      }
      for (const [name, value] of Object.entries(headers)) responseHeaders.set(name, value);
    }
    return {
      principal,
      ip,
      userAgent: req.headers['user-agent'] ?? null,
      services: this.services,
      // Cheap: each DataLoader inside is created on first use. (A getter would not help:
      // Apollo copies the context with Object.assign, which reads it at once.)
      loaders: new Loaders(this.db),
      requestId: requestIdOf(req),
      usage,
    };
  }
}
