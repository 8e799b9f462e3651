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
 * The counter's own ceiling, far above any key's limit (at most 1,000,000): the limit is
 * compared here, against the key's current setting, so the counter never refuses by itself.
 */
const COUNTER_CEILING = 2 ** 31;

/**
 * Enforces `rateLimitPerMinute` per key in units (one per executed root field), with
 * rate-limiter-flexible: a fixed 60-second window that starts with the key's first unit in it.
 *
 * The counter is keyed by the key's id alone and knows no limit: each request adds its units,
 * then the total is compared with the key's limit as it is now. Changing a key's limit in the
 * middle of a window therefore keeps the units already spent, in memory as in Redis. (One
 * limiter per limit, as before, kept one count per limit, and a change started afresh.)
 */
export class KeyRateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(private readonly options: KeyRateLimiterOptions = {}) {
    const { redis, onFallback } = options;
    if (redis) {
      const fallback = new (class extends RateLimiterMemory {
        override consume(key: string | number, pointsToConsume?: number, opts?: object) {
          onFallback?.();
          return super.consume(key, pointsToConsume, opts);
        }
      })({ keyPrefix: KEY_PREFIX, points: COUNTER_CEILING, duration: WINDOW_SECONDS });
      this.limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: KEY_PREFIX,
        points: COUNTER_CEILING,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: fallback,
      });
    } else {
      this.limiter = new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points: COUNTER_CEILING, duration: WINDOW_SECONDS });
    }
  }

  /**
   * Spends `units` of the key's budget; resolves with the response headers, or throws
   * RateLimitedError (carrying them) when the request does not fit whole. A refused request
   * spends nothing: its units are given back.
   */
  async consume(keyId: string, limit: number, units = 1): Promise<Record<string, string>> {
    const res = await this.limiter.consume(keyId, units);
    const resetSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    if (res.consumedPoints <= limit) {
      return rateLimitHeaders({ limit, remaining: limit - res.consumedPoints, resetSeconds });
    }
    await this.limiter.reward(keyId, units).catch(() => undefined);
    this.options.onRefused?.();
    const remaining = Math.max(0, limit - (res.consumedPoints - units));
    const message =
      units > 1
        ? `Rate limit of ${limit} root fields per minute exceeded for this client key: this request needs ${units}, ${remaining} remain`
        : `Rate limit of ${limit} requests per minute exceeded for this client key`;
    throw new RateLimitedError(resetSeconds, rateLimitHeaders({ limit, remaining, resetSeconds }), message);
  }

  /** The headers for a response that spent nothing (a document refused before it ran). */
  async peek(keyId: string, limit: number): Promise<Record<string, string>> {
    let res: RateLimiterRes | null = null;
    try {
      res = await this.limiter.get(keyId);
    } catch {
      // Redis unreachable and no insurance answer: report a full budget rather than fail the response.
    }
    const spent = res?.consumedPoints ?? 0;
    const resetSeconds = res ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : WINDOW_SECONDS;
    return rateLimitHeaders({ limit, remaining: Math.max(0, limit - spent), resetSeconds });
  }
}
