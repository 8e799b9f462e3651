import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

/** What a browser page on an allowed origin may send, and read back, across origins. */
export const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', 'x-client-key', 'apollo-require-preflight', 'x-apollo-operation-name', 'accept'];
export const CORS_EXPOSED_HEADERS = ['RateLimit', 'RateLimit-Policy', 'Retry-After'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Answers browsers on the CORS_ORIGINS (exact origins, no wildcard): their preflights get 204
 * here, before the GraphQL handler's CSRF check (which would refuse an OPTIONS request), and
 * their responses name the origin and expose the rate-limit headers. Other origins get no
 * Access-Control-Allow-Origin, so their browsers refuse to hand over the answer.
 *
 * Returns a hook for the request listener: true when it has answered the request itself.
 */
export function createCors(origins: readonly string[]): ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined {
  if (origins.length === 0) return undefined;
  const middleware = cors({
    origin: [...origins],
    // Written as SPEC.md lists them (the cors package would join arrays without spaces).
    methods: 'GET, POST, OPTIONS',
    allowedHeaders: CORS_ALLOWED_HEADERS.join(', '),
    exposedHeaders: CORS_EXPOSED_HEADERS.join(', '),
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
  const allowed = new Set(origins);
  return (req, res) => {
    // Requests without an Origin are not from a browser's cross-origin fetch: leave them alone.
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    if (!allowed.has(origin)) {
      // No CORS headers at all (not even the exposed ones); caches must still tell origins apart.
      res.appendHeader('vary', 'Origin');
      return false;
    }
    let passedOn = false;
    // The middleware is synchronous for a fixed origin list: it either ends a preflight or calls next().
    middleware(req, res, () => {
      passedOn = true;
    });
    return !passedOn;
  };
}
