import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger';
import { DAY_MS, HOUR_MS } from './usage-periods';

/** Minute buckets serve the last day's charts; keeping them longer would multiply the table by 60. */
export const MINUTE_RETENTION_MS = 48 * HOUR_MS;

/**
 * Deletes usage older than USAGE_RETENTION_DAYS (minute buckets after 48 hours), at start and
 * then hourly. Every instance may do it: deleting twice is harmless.
 */
export class UsageRetention {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    private readonly retentionDays: number,
    private readonly intervalMs = HOUR_MS,
  ) {}

  start(): void {
    void this.prune();
    this.timer = setInterval(() => void this.prune(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Returns how many rows went; failures are logged and retried at the next run. */
  async prune(now = Date.now()): Promise<number> {
    const keepFrom = new Date(now - this.retentionDays * DAY_MS);
    const minutesFrom = new Date(Math.max(keepFrom.getTime(), now - MINUTE_RETENTION_MS));
    try {
      const [, usageDeleted] = await this.db.query(
        `DELETE FROM key_usage WHERE (granularity = 'minute' AND bucket_start < $2) OR (granularity <> 'minute' AND bucket_start < $1)`,
        [keepFrom, minutesFrom],
      );
      const [, fieldsDeleted] = await this.db.query(`DELETE FROM key_field_usage WHERE bucket_start < $1`, [keepFrom]);
      return Number(usageDeleted) + Number(fieldsDeleted);
    } catch (err) {
      this.logger.warn({ err }, 'could not prune old key usage; will retry');
      return 0;
    }
  }
}
