/**
 * How an instance shares out DB_POOL_SIZE, so that the connections it opens never exceed it
 * (plus the one LISTEN connection, which must stay open on its own and is counted apart).
 */
export interface ConnectionBudget {
  /** TypeORM's pool, serving requests (and /readyz). */
  requests: number;
  /** The usage writer's own connection (usage/usage-pool.ts): it never waits behind requests. */
  usage: number;
  /** Migrations run before anything else connects: one connection holds the advisory lock, one migrates. */
  migrations: number;
}

export function connectionBudget(dbPoolSize: number): ConnectionBudget {
  if (!Number.isInteger(dbPoolSize) || dbPoolSize < 2) throw new RangeError('DB_POOL_SIZE must be at least 2');
  return { requests: dbPoolSize - 1, usage: 1, migrations: 2 };
}
