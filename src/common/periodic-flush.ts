/**
 * Writes what was counted in memory every `intervalMs`, on demand and at stop: concurrent calls
 * share one write, so counts are never written twice. `write` must not throw (it keeps what it
 * could not write for the next time).
 */
export class PeriodicFlush {
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }
}
