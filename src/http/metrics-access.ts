import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What /metrics answers a request: the metrics, 401 (a token is needed), or 404 (not exposed). */
export type MetricsAccess = 'allow' | 'unauthorized' | 'hidden';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * METRICS_TOKEN guards /metrics: metrics name keys' prefixes and traffic, which is nobody
 * else's business. Without a token, production keeps /metrics to itself (404); elsewhere it
 * stays open for local use. The token is compared in constant time, on digests of equal length.
 */
export function metricsAccess(token: string | undefined, production: boolean): (req: IncomingMessage) => MetricsAccess {
  if (token === undefined) return () => (production ? 'hidden' : 'allow');
  const expected = digest(token);
  return (req) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
    if (!match) return 'unauthorized';
    return timingSafeEqual(digest(match[1]), expected) ? 'allow' : 'unauthorized';
  };
}
