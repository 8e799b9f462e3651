import { type EntityManager, In } from 'typeorm';
import { transactionQuery } from '../users/transaction-query';
import { ClientKey } from './client-key.entity';

/** Ids of every key minted by `rootId`, directly or not, as of this statement. UNION ends a cycle, were one ever stored. */
async function descendantIds(em: EntityManager, rootId: string): Promise<string[]> {
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
  return rows.map((r) => r.id);
}

/**
 * Every key minted by `rootId` (whose row the caller has locked), directly or through other
 * minted keys, locked for update. A mint holds its parent's row FOR SHARE until it commits
 * (see currentAuthority's lockKey), so once a parent is locked here, each of its children is
 * either committed, and found by the next walk, or not yet minted, and that mint will wait and
 * see its parent revoked. One walk could miss a key committed while it ran, so the walk repeats
 * until it finds nothing unlocked (usually twice). Callers run these walks one at a time (an
 * advisory lock in KeyChanges.run), and each batch is locked in id order.
 */
export async function lockDescendants(em: EntityManager, rootId: string): Promise<ClientKey[]> {
  const locked = new Map<string, ClientKey>();
  for (;;) {
    const ids = (await descendantIds(em, rootId)).filter((id) => !locked.has(id));
    if (ids.length === 0) break;
    const rows = await em.getRepository(ClientKey).find({ where: { id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    // Every one deleted meanwhile: the next walk cannot see them either.
    if (rows.length === 0) break;
    for (const row of rows) locked.set(row.id, row);
  }
  return [...locked.values()];
}

/** The keys `deletedId` minted now descend from its parent, so a cascade from any ancestor still reaches them. */
export async function reparentMinted(em: EntityManager, deletedId: string, parentId: string): Promise<void> {
  await transactionQuery(em, 'UPDATE client_keys SET created_by_key_id = $2 WHERE created_by_key_id = $1', [deletedId, parentId]);
}
