/** What the headers say of one limit. */
export interface LimitHeaderItem {
  name: string;
  limit: number;
  periodSeconds: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * The IETF draft-ietf-httpapi-ratelimit-headers fields, one item per limit, e.g.
 * `RateLimit-Policy: "default";q=60;w=60, "cost";q=1000;w=3600` and
 * `RateLimit: "default";r=42;t=17, "cost";r=880;t=3600`. No limits: no headers.
 */
export function rateLimitHeaders(limits: readonly LimitHeaderItem[]): Record<string, string> {
  if (limits.length === 0) return {};
  let policy = '';
  let state = '';
  for (const l of limits) {
    const sep = policy ? ', ' : '';
    policy += `${sep}"${l.name}";q=${l.limit};w=${l.periodSeconds}`;
    state += `${sep}"${l.name}";r=${Math.max(0, l.remaining)};t=${Math.max(0, l.resetSeconds)}`;
  }
  return { 'ratelimit-policy': policy, ratelimit: state };
}
