import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger';

/**
 * Records key use in memory and writes it in one batched UPDATE every few seconds,
 * so the request path never waits on a database write.
 */
export class LastUsedTracker {
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    private readonly intervalMs = 5000,
  ) {}

  touch(keyId: string): void {
    this.pending.set(keyId, Date.now());
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.db.query(
        `UPDATE client_keys k SET last_used_at = GREATEST(k.last_used_at, v.used_at)
           FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, used_at) WHERE k.id = v.id`,
        [[...batch.keys()], [...batch.values()].map((t) => new Date(t))],
      );
    } catch (err) {
      // Keep the uses for the next attempt, unless newer ones arrived meanwhile.
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      this.logger.warn({ err, keys: batch.size }, 'could not record lastUsedAt; will retry');
    }
  }
}
