import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import type { Logger } from '../logging/logger';
import { type HeartbeatOptions, ListenerHeartbeat } from './listener-heartbeat';

/** What changed: secrets by SHA-256 (hex), or one user's authority (role, existence, sessions) and so every key of theirs. */
export interface KeyInvalidation {
  hashes?: string[];
  userId?: string;
  /** Sessions (refresh token families) that ended: their access tokens stop too. */
  sessions?: string[];
}

const CHANNEL = 'keygate_key_changes';

function destroySocket(client: Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/**
 * Tells every instance sharing the database that cached key verifications are stale, over
 * PostgreSQL LISTEN/NOTIFY: no extra infrastructure, and a NOTIFY sent inside the change's
 * transaction is delivered exactly when it commits.
 */
export class KeyInvalidationBus {
  private client?: Client;
  private heartbeat?: ListenerHeartbeat;
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
    private readonly heartbeatOptions: HeartbeatOptions = {},
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  /** Told when the listener connects (true) or loses its connection (false). */
  onConnectionChange(listener: (up: boolean) => void): void {
    this.connectionListeners.push(listener);
  }

  /** The PostgreSQL backend serving the LISTEN connection (pg_backend_pid() there), for diagnostics. */
  get backendPid(): number | undefined {
    return (this.client as (Client & { processID?: number }) | undefined)?.processID;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.heartbeat?.stop();
    const client = this.client;
    if (!client) return;
    // A stuck server never answers the goodbye: give it a second, then drop the socket.
    const giveUp = setTimeout(() => destroySocket(client), 1000);
    giveUp.unref();
    await client.end().catch(() => undefined);
    clearTimeout(giveUp);
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
    this.heartbeat = new ListenerHeartbeat(
      client,
      () => {
        this.logger.warn('key invalidation listener stopped answering its heartbeat; reconnecting');
        this.reconnectSoon(client);
      },
      this.heartbeatOptions,
    );
    this.heartbeat.start();
    this.retryMs = 250;
    for (const listener of this.connectionListeners) listener(true);
    if (this.warned) this.logger.info('key invalidation listener reconnected');
    this.warned = false;
  }

  private reconnectSoon(failed: Client): void {
    if (this.stopped || this.client !== failed) return;
    this.client = undefined;
    this.heartbeat?.stop();
    for (const listener of this.connectionListeners) listener(false);
    failed.removeAllListeners('end');
    failed.end().catch(() => undefined);
    // A stuck server would never answer the goodbye: drop the socket rather than wait on it.
    destroySocket(failed);
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
