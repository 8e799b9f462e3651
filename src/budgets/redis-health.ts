/**
 * Whether Redis is worth asking. Once a call fails or times out, requests skip Redis (no
 * timeout paid per request) and a probe runs in the background until Redis answers again.
 */
export class RedisHealth {
  private up: boolean;
  private timer?: NodeJS.Timeout;
  private probing = false;
  private stopped = false;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly intervalMs: number,
    initiallyUp: boolean,
  ) {
    this.up = initiallyUp;
  }

  get usable(): boolean {
    return this.up;
  }

  markDown(): void {
    this.up = false;
    this.schedule(this.intervalMs);
  }

  /** Probes at once (Redis reconnected, or the store just started): syncs even while up. */
  probeNow(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.probing) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.probing = true;
    try {
      await this.probe();
      this.up = true;
    } catch {
      this.up = false;
    } finally {
      this.probing = false;
    }
    if (!this.up) this.schedule(this.intervalMs);
  }
}
