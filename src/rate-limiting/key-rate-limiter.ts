import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors/app-errors';
import { rateLimitHeaders, WINDOW_SECONDS } from './rate-limit-headers';

export interface KeyRateLimiterOptions {
  /** Shared counters across instances; without it each instance counts alone. */
  redis?: Redis;
  /** Called when Redis is unreachable and this instance's own counter was used instead. */
  onFallback?: () => void;
  /** Called for every refused request. */
  onRefused?: () => void;
}

const KEY_PREFIX = 'keygate:rl:key';

/**
 * Enforces `rateLimitPerMinute` per key with rate-limiter-flexible: a fixed 60-second window
 * that starts with the key's first request in it. Limiters differ only by their point budget,
 * and share one counter per key, so changing a key's limit keeps its current count.
 */
export class KeyRateLimiter {
  private readonly limiters = new Map<number, RateLimiterAbstract>();

  constructor(private readonly options: KeyRateLimiterOptions = {}) {}

  /** Counts one request; resolves with the response headers or throws RateLimitedError (with them). */
  async consume(keyId: string, limit: number): Promise<Record<string, string>> {
    try {
      const res = await this.limiterFor(limit).consume(keyId);
      return rateLimitHeaders({ limit, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) });
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      this.options.onRefused?.();
      const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new RateLimitedError(retryAfter, rateLimitHeaders({ limit, remaining: 0, resetSeconds: retryAfter }), `Rate limit of ${limit} requests per minute exceeded for this client key`);
    }
  }

  private limiterFor(points: number): RateLimiterAbstract {
    let limiter = this.limiters.get(points);
    if (limiter) return limiter;
    const { redis, onFallback } = this.options;
    if (redis) {
      const fallback = new (class extends RateLimiterMemory {
        override consume(key: string | number, pointsToConsume?: number, options?: object) {
          onFallback?.();
          return super.consume(key, pointsToConsume, options);
        }
      })({ keyPrefix: KEY_PREFIX, points, duration: WINDOW_SECONDS });
      limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: KEY_PREFIX,
        points,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: fallback,
      });
    } else {
      limiter = new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points, duration: WINDOW_SECONDS });
    }
    this.limiters.set(points, limiter);
    return limiter;
  }
}
