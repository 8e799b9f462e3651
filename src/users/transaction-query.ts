import type { EntityManager } from 'typeorm';

/**
 * Raw SQL inside a transaction. `EntityManager.query` reports a connection lost mid-transaction
 * as QueryRunnerProviderAlreadyReleasedError, which nothing recognises as an outage; the query
 * runner itself reports QueryRunnerAlreadyReleasedError, as TypeORM's repository methods do, and
 * the error policy answers that with a retryable 503.
 */
export function transactionQuery<T = unknown>(em: EntityManager, sql: string, parameters: unknown[]): Promise<T> {
  return em.queryRunner ? em.queryRunner.query(sql, parameters) : em.query(sql, parameters);
}
