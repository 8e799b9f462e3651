import { Client } from 'pg';

const QUERY_TIMEOUT = 'Query read timeout';

/**
 * pg's `query_timeout` answers the caller, but the connection keeps waiting for the reply: the
 * next query on it queues behind the one that timed out, and a transaction's ROLLBACK waits
 * its own full timeout too. When the server is frozen none of them ever answers. Dropping the
 * connection at the first timeout makes pg emit `error`, on which TypeORM releases it with the
 * error and the pool discards it; the pool then opens fresh connections once the server answers.
 */
export class TimeoutAwareClient extends Client {
  override query(...args: unknown[]): never {
    const result = (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, (err: unknown) => {
        if ((err as Error | undefined)?.message === QUERY_TIMEOUT) this.abandon();
      });
    }
    return result as never;
  }

  private abandon(): void {
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}
