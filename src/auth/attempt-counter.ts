import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * An atomic count kept in this process, and in Redis when there is one. Both are consumed: the
 * local count bounds this instance even in the moments Redis falls behind or away (a fallback
 * counter of its own would start from zero and let a burst through), and Redis bounds them all.
 */
export class AttemptCounter {
  private readonly local: RateLimiterMemory;
  private readonly shared?: RateLimiterRedis;

  constructor(redis: Redis | undefined, keyPrefix: string, points: number, duration: number) {
    this.local = new RateLimiterMemory({ keyPrefix, points, duration });
    if (redis) this.shared = new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, rejectIfRedisNotReady: true });
  }

  /** Reserves one attempt; rejects with a RateLimiterRes when none is left. */
  async consume(key: string): Promise<void> {
    await this.local.consume(key);
    if (!this.shared) return;
    try {
      await this.shared.consume(key);
    } catch (res) {
      // Redis unavailable: the local count, already taken, is the limit until it returns.
      if (res instanceof RateLimiterRes) throw res;
    }
  }

  async delete(key: string): Promise<void> {
    await this.local.delete(key);
    await this.shared?.delete(key).catch(() => undefined);
  }
}
