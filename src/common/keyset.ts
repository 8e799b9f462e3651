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
  /** Adds what the rows need and the count does not, such as a joined owner. */
  forRows?: (rows: SelectQueryBuilder<T>) => void,
): Promise<Page<T>> {
  const alias = qb.alias;
  const rowsQuery = qb
    .clone()
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    // limit, not take: take with a join makes TypeORM run a second query for distinct ids,
    // and a many-to-one join keeps one row per item anyway.
    .limit(page.first + 1);
  forRows?.(rowsQuery);
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
