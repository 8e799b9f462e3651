import { isIP } from 'node:net';
import type { DataSource, EntityManager } from 'typeorm';
import { keysetPage } from '../common/keyset';
import type { Page, PageRequest } from '../common/pagination';
import { checkUuid } from '../common/validation';
import type { Actor } from '../identity/actor';
import type { Principal } from '../identity/principal';
import { BadUserInputError } from '../errors/app-errors';
import { UserRole } from '../identity/user-role';
import { type AuditAction, AUDIT_ACTIONS, isAuditAction } from './audit-actions';
import { AuditEvent } from './audit-event.entity';

export interface AuditTarget {
  clientKeyId?: string | null;
  /** The user the event is about: a key's owner, or the user changed. */
  userId: string | null;
}

export interface AuditFilter {
  action?: string | null;
  clientKeyId?: string | null;
  userId?: string | null;
}

export class AuditService {
  constructor(private readonly db: DataSource) {}

  /** Writes the event with `em`, inside the transaction of the change it records. */
  async record(em: EntityManager, actor: Actor, action: AuditAction, target: AuditTarget, changes: Record<string, unknown>): Promise<void> {
    const event = em.getRepository(AuditEvent).create({
      action,
      actorKind: actor.principal.kind as AuditEvent['actorKind'],
      actorId: actor.principal.id,
      clientKeyId: target.clientKeyId ?? null,
      userId: target.userId,
      // Only an address (the http layer's canonical form): anything else is stored as unknown.
      ip: isIP(actor.ip) ? actor.ip : null,
      userAgent: actor.userAgent?.slice(0, 512) ?? null,
      changes,
    });
    await em.getRepository(AuditEvent).save(event);
  }

  /** Admins see every event; anyone else the events about themselves and their keys. */
  list(viewer: Principal, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEvent>> {
    const qb = this.db.getRepository(AuditEvent).createQueryBuilder('e');
    if (filter.action) {
      if (!isAuditAction(filter.action)) throw new BadUserInputError('action', `must be one of ${AUDIT_ACTIONS.join(', ')}`);
      qb.andWhere('e.action = :action', { action: filter.action });
    }
    if (filter.clientKeyId) qb.andWhere('e.client_key_id = :clientKeyId', { clientKeyId: checkUuid(filter.clientKeyId, 'clientKeyId') });
    if (filter.userId) qb.andWhere('e.user_id = :userId', { userId: checkUuid(filter.userId, 'userId') });
    if (viewer.role !== UserRole.ADMIN) qb.andWhere('e.user_id = :viewerId', { viewerId: viewer.userId });
    return keysetPage(qb, page);
  }
}
