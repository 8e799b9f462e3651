import { Pool } from 'pg';
import { TimeoutAwareClient } from '../common/timeout-aware-client';
import type { Logger } from '../logging/logger';

/** Where usage is written: pg's Pool, or anything with its `query`. */
export interface UsageWriter {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}

/**
 * Usage writes (every few seconds) and pruning (hourly) get their own single connection: they never
 * wait for, nor hold, a connection of the pool that serves requests, and request-path query
 * counts see only requests. The same timeouts as the main pool: a frozen server cannot pile them up.
 */
export function createUsagePool(databaseUrl: string, queryTimeoutMs: number, logger: Logger, maxConnections = 1): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: maxConnections,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    query_timeout: queryTimeoutMs,
    statement_timeout: 10_000,
    application_name: 'keygate-usage',
    Client: TimeoutAwareClient,
  });
  // An idle connection that dies (a database restart) must not take the process with it.
  pool.on('error', (err) => logger.warn({ err }, 'usage database connection lost; it reconnects on the next write'));
  return pool;
}
