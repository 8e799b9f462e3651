import { DataSource, type DataSourceOptions as TypeOrmOptions, type Logger as TypeOrmLogger } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { ClientKey } from '../client-keys/client-key.entity';
import { User } from '../users/user.entity';
import { CreateUsers1764100000000 } from './migrations/1764100000000-CreateUsers';
import { TimeoutAwareClient } from '../common/timeout-aware-client';
import { CreateClientKeysAndAudit1764200000000 } from './migrations/1764200000000-CreateClientKeysAndAudit';
import { AuthorityFollowsState1764300000000 } from './migrations/1764300000000-AuthorityFollowsState';
import { AddUsageAndAllowedCidrs1764400000000 } from './migrations/1764400000000-AddUsageAndAllowedCidrs';
import { Budgets1765000000000 } from './migrations/1765000000000-Budgets';
import { AuditIpIsAnAddress1765100000000 } from './migrations/1765100000000-AuditIpIsAnAddress';

/** Listed explicitly (no globs) so the same list works from ts sources, tests and dist. */
export const ENTITIES = [User, RefreshToken, ClientKey, AuditEvent];
export const MIGRATIONS = [
  CreateUsers1764100000000,
  CreateClientKeysAndAudit1764200000000,
  AuthorityFollowsState1764300000000,
  AddUsageAndAllowedCidrs1764400000000,
  Budgets1765000000000,
  AuditIpIsAnAddress1765100000000,
];

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  /** Client-side limit on each query (pg's query_timeout): a frozen server cannot hang a request. */
  queryTimeoutMs?: number;
  /** Called for every SQL statement: tests count round trips with it. */
  onQuery?: (sql: string) => void;
}

class QueryCounter implements TypeOrmLogger {
  constructor(private readonly onQuery: (sql: string) => void) {}
  logQuery(query: string) {
    this.onQuery(query);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: options.onQuery ? ['query'] : false,
    logger: options.onQuery ? new QueryCounter(options.onQuery) : undefined,
    extra: {
      max: options.poolSize ?? 10,
      // Fail fast when PostgreSQL is gone instead of queueing requests behind dead connections.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30000,
      statement_timeout: 10000,
      // The server-side statement_timeout needs a live server; this one holds when it is frozen.
      query_timeout: options.queryTimeoutMs ?? 3000,
      // ... and a query that timed out takes its connection with it (see the class).
      Client: TimeoutAwareClient,
      application_name: 'keygate',
    },
  });
}

/**
 * Several instances may start together: an advisory lock makes one of them migrate. Migrations
 * may run long on big tables, so they get connections of their own, without the request path's
 * client-side query timeout.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const { options } = dataSource;
  const extra = { ...(options.extra as Record<string, unknown>), query_timeout: 0, max: 2 };
  const migrator = new DataSource({ ...options, logging: false, logger: undefined, extra } as TypeOrmOptions);
  await migrator.initialize();
  const runner = migrator.createQueryRunner();
  try {
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['keygate:migrations']);
      const applied = await migrator.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', ['keygate:migrations']).catch(() => undefined);
      await runner.release();
    }
  } finally {
    await migrator.destroy();
  }
}
