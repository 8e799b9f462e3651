/** What the headers say of one limit. */
export interface LimitHeaderItem {
  name: string;
  limit: number;
  periodSeconds: number;
  remaining: number;
  resetSeconds: number;
}

/** `RateLimit-Policy`: what the limits are (the same for every request of one key until its limits change). */
export function rateLimitPolicy(limits: ReadonlyArray<Pick<LimitHeaderItem, 'name' | 'limit' | 'periodSeconds'>>): string {
  return limits.map((l) => `"${l.name}";q=${l.limit};w=${l.periodSeconds}`).join(', ');
}

/**
 * The IETF draft-ietf-httpapi-ratelimit-headers fields, one item per limit, e.g.
 * `RateLimit-Policy: "default";q=60;w=60, "cost";q=1000;w=3600` and
 * `RateLimit: "default";r=42;t=17, "cost";r=880;t=3600`. No limits: no headers.
 */
export function rateLimitHeaders(limits: readonly LimitHeaderItem[]): Record<string, string> {
  if (limits.length === 0) return {};
  let state = '';
  for (const l of limits) {
    state += `${state ? ', ' : ''}"${l.name}";r=${Math.max(0, l.remaining)};t=${Math.max(0, l.resetSeconds)}`;
  }
  return { 'ratelimit-policy': rateLimitPolicy(limits), ratelimit: state };
}
