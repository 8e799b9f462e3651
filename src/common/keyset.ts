import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { type Page, type PageRequest, toPage } from './pagination';

/**
 * Runs a newest-first keyset page over `qb` (already filtered): rows strictly after the
 * cursor by (created_at, id), which an index on (…, created_at DESC, id DESC) serves
 * without scanning. The total is counted with the same filters, if the client asks for it.
 */
export async function keysetPage<T extends ObjectLiteral & { createdAt: Date; id: string }>(
  qb: SelectQueryBuilder<T>,
  page: PageRequest,
): Promise<Page<T>> {
  const alias = qb.alias;
  const rowsQuery = qb
    .clone()
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(page.first + 1);
  if (page.after) {
    rowsQuery.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorCreatedAt, :cursorId)`, {
      cursorCreatedAt: page.after.createdAt,
      cursorId: page.after.id,
    });
  }
  const rows = await rowsQuery.getMany();
  let count: Promise<number> | undefined;
  return toPage(rows, page.first, () => (count ??= qb.clone().getCount()));
}
