/**
 * `RateLimit-Policy` (IETF draft-ietf-httpapi-ratelimit-headers): what the limits are, one item per
 * limit, e.g. `"default";q=60;w=60, "cost";q=1000;w=3600`; the same for every request of one key
 * until its limits change. The `RateLimit` field beside it is written per request from the plan's
 * template (src/execution/budget-feedback.ts).
 */
export function rateLimitPolicy(limits: ReadonlyArray<{ name: string; limit: number; periodSeconds: number }>): string {
  return limits.map((l) => `"${l.name}";q=${l.limit};w=${l.periodSeconds}`).join(', ');
}
