import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import type { Logger } from '../logging/logger';

/** What changed: secrets by SHA-256 (hex), or one user's authority (role, existence, sessions) and so every key of theirs. */
export interface KeyInvalidation {
  hashes?: string[];
  userId?: string;
}

const CHANNEL = 'keygate_key_changes';

/**
 * Tells every instance sharing the database that cached key verifications are stale, over
 * PostgreSQL LISTEN/NOTIFY: no extra infrastructure, and a NOTIFY sent inside the change's
 * transaction is delivered exactly when it commits.
 */
export class KeyInvalidationBus {
  private client?: Client;
  private stopped = false;
  private retryMs = 250;
  private warned = false;
  private connectionListeners: Array<(up: boolean) => void> = [];

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly onMessage: (message: KeyInvalidation) => void,
    /** Notifications may have been missed while disconnected: drop everything cached. */
    private readonly onReconnect: () => void,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  /** Told when the listener connects (true) or loses its connection (false). */
  onConnectionChange(listener: (up: boolean) => void): void {
    this.connectionListeners.push(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  /** Queues the message in `em`'s transaction; it reaches listeners on commit. */
  async publish(em: EntityManager, message: KeyInvalidation): Promise<void> {
    await em.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(message)]);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'keygate-listener', connectionTimeoutMillis: 3000 });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        this.onMessage(JSON.parse(msg.payload) as KeyInvalidation);
      } catch {
        this.logger.warn('ignored a malformed key invalidation message');
      }
    });
    client.on('error', () => this.reconnectSoon(client));
    client.on('end', () => this.reconnectSoon(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
    for (const listener of this.connectionListeners) listener(true);
    if (this.warned) this.logger.info('key invalidation listener reconnected');
    this.warned = false;
  }

  private reconnectSoon(failed: Client): void {
    if (this.stopped || this.client !== failed) return;
    this.client = undefined;
    for (const listener of this.connectionListeners) listener(false);
    failed.removeAllListeners('end');
    failed.end().catch(() => undefined);
    if (!this.warned) this.logger.warn('key invalidation listener lost its connection; retrying');
    this.warned = true;
    const attempt = () => {
      if (this.stopped) return;
      this.connect()
        .then(() => this.onReconnect())
        .catch(() => {
          this.retryMs = Math.min(this.retryMs * 2, 5000);
          setTimeout(attempt, this.retryMs).unref();
        });
    };
    setTimeout(attempt, this.retryMs).unref();
  }
}
