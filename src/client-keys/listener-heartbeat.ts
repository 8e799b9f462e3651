import type { Client } from 'pg';

export interface HeartbeatOptions {
  /** Pause between the answer to one beat and the next beat. */
  intervalMs?: number;
  /** A beat unanswered this long means the connection is stuck. */
  timeoutMs?: number;
}

/**
 * A LISTEN connection only ever receives, so a half-open one (its backend frozen, a network
 * path gone silent) looks exactly like a quiet one: no error, no `end`, and no invalidations.
 * A `SELECT 1` every `intervalMs` that must answer within `timeoutMs` tells the two apart, so
 * a stuck listener is noticed within intervalMs + timeoutMs (under a second by default).
 */
export class ListenerHeartbeat {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private next?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly onStuck: () => void,
    options: HeartbeatOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 600;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.next);
    clearTimeout(this.deadline);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.next = setTimeout(() => this.beat(), this.intervalMs);
    this.next.unref();
  }

  private beat(): void {
    if (this.stopped) return;
    let answered = false;
    this.deadline = setTimeout(() => {
      // A busy event loop may fire this timer late with the answer already waiting in the
      // socket: setImmediate runs after pending I/O has been read, so only true silence counts.
      setImmediate(() => {
        if (answered || this.stopped) return;
        this.stop();
        this.onStuck();
      });
    }, this.timeoutMs);
    this.deadline.unref();
    this.client.query('SELECT 1').then(
      () => {
        answered = true;
        clearTimeout(this.deadline);
        this.schedule();
      },
      // A failed query comes with the connection's own `error`/`end`, which the bus handles.
      () => {
        answered = true;
        clearTimeout(this.deadline);
      },
    );
  }
}
