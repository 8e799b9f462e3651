import type { DataSource } from 'typeorm';
import { keysetPage } from '../common/keyset';
import type { Page, PageRequest } from '../common/pagination';
import { checkUuid } from '../common/validation';
import type { Principal } from '../identity/principal';
import { User } from '../users/user.entity';
import { ClientKey } from './client-key.entity';
import { ClientKeyStatus } from './client-key-status';
import type { ClientKeyFilter } from './client-keys.types';
import { canSeeAll, findKey, visibleOrNotFound } from './key-access';

/** Reading keys: what a viewer may see, one key or a page of them. Nothing here locks or writes. */
export class KeyQueries {
  constructor(private readonly db: DataSource) {}

  /** With `withOwners`, each key's `owner` is read in the same query: one round trip for a page with owners. */
  list(viewer: Principal, filter: ClientKeyFilter, page: PageRequest, options: { withOwners?: boolean } = {}): Promise<Page<ClientKey>> {
    const qb = this.db.getRepository(ClientKey).createQueryBuilder('k');
    if (!canSeeAll(viewer)) qb.andWhere('k.user_id = :viewerId', { viewerId: viewer.userId });
    if (filter.userId) qb.andWhere('k.user_id = :userId', { userId: checkUuid(filter.userId, 'userId') });
    const now = new Date();
    switch (filter.status) {
      case ClientKeyStatus.ACTIVE:
        qb.andWhere('k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > :now)', { now });
        break;
      case ClientKeyStatus.REVOKED:
        qb.andWhere('k.revoked_at IS NOT NULL');
        break;
      case ClientKeyStatus.EXPIRED:
        qb.andWhere('k.revoked_at IS NULL AND k.expires_at <= :now', { now });
        break;
    }
    return keysetPage(qb, page, (rows) => {
      if (options.withOwners) rows.leftJoinAndMapOne('k.owner', User, 'owner', 'owner.id = k.userId');
    });
  }

  async get(viewer: Principal, id: string): Promise<ClientKey> {
    return visibleOrNotFound(await findKey(this.db.manager, id, false), viewer);
  }
}
