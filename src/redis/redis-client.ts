import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger';

/**
 * A Redis connection that fails fast: no offline queue, so while Redis is away a command
 * errors at once and callers fall back instead of waiting. Outages are logged once each.
 */
export function createRedis(url: string, logger: Logger, commandTimeoutMs: number): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    // Commands issued in the same tick leave in one write...
    enableAutoPipelining: true,
    // ...except the budget charge, which its caller already sends once per event-loop turn for all
    // of the turn's requests (src/budgets/redis-budget.ts): a pipeline around it is only overhead.
    autoPipeliningIgnoredCommands: ['keygateBudgetCharge'],
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // REDIS_TIMEOUT_MS: a frozen Redis costs a command this long, then callers fall back.
    commandTimeout: commandTimeoutMs,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: { message: err.message } }, 'Redis unavailable: rate limits fall back to this instance alone');
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis is back: rate limits are shared again');
    down = false;
  });
  return redis;
}
