import type { AuditService } from '../audit/audit.service';
import { ForbiddenError } from '../errors/app-errors';
import type { Actor } from '../identity/actor';
import type { RoleScopes } from '../identity/role-scopes';
import { transactionQuery } from '../users/transaction-query';
import { ClientKey } from './client-key.entity';
import { checkCanActOn } from './key-ceiling';
import { effectiveScopes } from './key-access';
import { auditTarget, type KeyChanges } from './key-changes';
import { lockDescendants, reparentMinted } from './key-lineage';

/** Takes keys out of use, revoked or deleted, and keeps the keys they minted inside their lineage's bounds. */
export class KeyRemoval {
  constructor(
    private readonly audit: AuditService,
    private readonly roles: RoleScopes,
    private readonly changes: KeyChanges,
  ) {}

  /**
   * Revoking an already revoked key changes nothing and succeeds. With `cascade`, every key it
   * minted, and every key those minted, is revoked too, in the same transaction (all or nothing:
   * the caller must be able to act on each of them).
   */
  async revoke(actor: Actor, id: string, reason?: string | null, cascade = false): Promise<ClientKey> {
    const why = reason == null ? null : reason.trim().slice(0, 500) || null;
    return this.changes.run(
      actor,
      id,
      async (em, key, authority, touch) => {
        const descendants = cascade ? await lockDescendants(em, key.id) : [];
        const self = { userId: actor.principal.userId, role: authority.role };
        for (const child of descendants) checkCanActOn(authority.scopes, await effectiveScopes(em, child, self, this.roles));
        const revokedAt = new Date();
        let saved = key;
        if (!key.revokedAt) {
          key.revokedAt = revokedAt;
          key.revokedReason = why;
          saved = await em.getRepository(ClientKey).save(key);
          await this.audit.record(em, actor, 'client_key.revoked', auditTarget(saved), { reason: why });
        }
        for (const child of descendants) {
          if (child.revokedAt) continue;
          touch(child);
          child.revokedAt = revokedAt;
          child.revokedReason = why;
          await em.getRepository(ClientKey).save(child);
          await this.audit.record(em, actor, 'client_key.revoked', auditTarget(child), { reason: why, cascadeFrom: key.id });
        }
        return saved;
      },
      { lineage: cascade },
    );
  }

  async delete(actor: Actor, id: string): Promise<ClientKey> {
    return this.changes.run(
      actor,
      id,
      async (em, key, authority) => {
        // A key's budget binds the keys it minted. Deleting a key in the middle of a lineage hands them
        // to its parent (still bound above); deleting a lineage's root would set them loose, so a client
        // key may not (revoking keeps the lineage's budget; a user may delete it).
        if (authority.key && !key.createdByKeyId) {
          const minted = await transactionQuery<Array<unknown>>(em, 'SELECT 1 FROM client_keys WHERE created_by_key_id = $1 LIMIT 1', [key.id]);
          if (minted.length > 0) {
            throw new ForbiddenError(
              [],
              'A client key cannot delete the root of a lineage (its budget binds the keys it minted); revoke it, or a user can delete it',
            );
          }
        }
        await this.audit.record(em, actor, 'client_key.deleted', auditTarget(key), { name: key.name, keyPrefix: key.keyPrefix });
        // Deleting a key in the middle of a lineage must not cut its descendants loose from a
        // cascade: they now descend from the deleted key's own parent.
        if (key.createdByKeyId) await reparentMinted(em, key.id, key.createdByKeyId);
        await em.getRepository(ClientKey).delete({ id: key.id });
        return key;
      },
      { lineage: true },
    );
  }
}
