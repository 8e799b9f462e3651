/**
 * The IETF draft-ietf-httpapi-ratelimit-headers fields, e.g.
 * `RateLimit-Policy: "per-key";q=100;w=60` and `RateLimit: "per-key";r=42;t=17`.
 */
export const POLICY_NAME = 'per-key';
export const WINDOW_SECONDS = 60;

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-policy': `"${POLICY_NAME}";q=${state.limit};w=${WINDOW_SECONDS}`,
    ratelimit: `"${POLICY_NAME}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}
