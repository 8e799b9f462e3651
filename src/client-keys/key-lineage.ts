import { type EntityManager, In } from 'typeorm';
import { transactionQuery } from '../users/transaction-query';
import { ClientKey } from './client-key.entity';

/**
 * Every key minted by `rootId`, directly or through other minted keys, locked for update (in id
 * order, so concurrent cascades cannot deadlock). UNION, not UNION ALL: a cycle, were one ever
 * stored, ends the walk instead of looping.
 */
export async function lockDescendants(em: EntityManager, rootId: string): Promise<ClientKey[]> {
  const rows = await transactionQuery<Array<{ id: string }>>(
    em,
    `WITH RECURSIVE minted(id) AS (
       SELECT id FROM client_keys WHERE created_by_key_id = $1
       UNION
       SELECT k.id FROM client_keys k JOIN minted m ON k.created_by_key_id = m.id
     )
     SELECT id FROM minted WHERE id <> $1`,
    [rootId],
  );
  if (rows.length === 0) return [];
  return em.getRepository(ClientKey).find({ where: { id: In(rows.map((r) => r.id)) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
}

/** The keys `deletedId` minted now descend from its parent, so a cascade from any ancestor still reaches them. */
export async function reparentMinted(em: EntityManager, deletedId: string, parentId: string): Promise<void> {
  await transactionQuery(em, 'UPDATE client_keys SET created_by_key_id = $2 WHERE created_by_key_id = $1', [deletedId, parentId]);
}
