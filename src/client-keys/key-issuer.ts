import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../identity/actor';
import type { RoleScopes } from '../identity/role-scopes';
import { BadUserInputError, UnauthenticatedError } from '../errors/app-errors';
import { allowedCidrsFor } from '../ip-allowlist/cidrs-for-actor';
import { checkAllowedCidrs } from '../ip-allowlist/cidr-list';
import { currentAuthority } from '../users/current-authority';
import { ClientKey } from './client-key.entity';
import {
  checkDescription,
  checkExpiry,
  checkGracePeriod,
  checkGrantableScopes,
  checkName,
  checkRateLimit,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
} from './client-key-rules';
import { ClientKeyStatus } from './client-key-status';
import type { CreateClientKeyData, IssuedKey } from './client-keys.types';
import { checkKeyWithinActor, childTerms } from './key-ceiling';
import { checkBudget, newBudgetColumns } from './key-budget-terms';
import { assertNotRevoked, auditTarget, type KeyChanges } from './key-changes';
import { generateKey } from './key-material';

/** PostgreSQL's foreign_key_violation: the owner's row disappeared under an insert. */
function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e?.driverError?.code ?? e?.code) === '23503';
}

/** Hands out secrets: a new key's, or a new one for an existing key. The only place a secret is generated. */
export class KeyIssuer {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly roles: RoleScopes,
    private readonly changes: KeyChanges,
  ) {}

  async create(actor: Actor, data: CreateClientKeyData): Promise<IssuedKey> {
    const requested = {
      name: checkName(data.name),
      description: checkDescription(data.description),
      rateLimitPerMinute: data.rateLimitPerMinute == null ? null : checkRateLimit(data.rateLimitPerMinute),
      expiresAt: checkExpiry(data.expiresAt),
      // Validated here; measured against the minting key's ranges inside the transaction.
      allowedCidrs: data.allowedCidrs == null ? undefined : checkAllowedCidrs(data.allowedCidrs),
    };
    const budget = newBudgetColumns(checkBudget(data));
    const secret = generateKey();
    try {
      return await this.db.transaction(async (em) => {
        // The owner's row is held FOR KEY SHARE: a concurrent deletion waits for this insert. A
        // minting key's row is held FOR SHARE: a cascade revoking it either finds this key, or
        // makes this mint wait and fail as KEY_REVOKED (see lockDescendants).
        const authority = await currentAuthority(em, actor.principal, this.roles, { lockOwner: true, lockKey: true });
        const scopes = checkGrantableScopes(data.scopes, authority, this.roles.catalog);
        // A key mints within its own terms, and the new key remembers which key minted it.
        const terms = authority.key
          ? childTerms(authority.key, requested)
          : { expiresAt: requested.expiresAt, rateLimitPerMinute: requested.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE };
        const allowedCidrs = allowedCidrsFor(authority.key?.allowedCidrs, requested.allowedCidrs);
        const values = { name: requested.name, description: requested.description, scopes, ...terms, allowedCidrs, ...budget };
        const createdByKeyId = authority.key?.id ?? null;
        const clientKey = await em
          .getRepository(ClientKey)
          .save(
            em.getRepository(ClientKey).create({ ...values, createdByKeyId, userId: actor.principal.userId, keyHash: secret.hash, keyPrefix: secret.prefix }),
          );
        await this.audit.record(em, actor, 'client_key.created', auditTarget(clientKey), {
          ...values,
          expiresAt: values.expiresAt?.toISOString() ?? null,
          keyPrefix: secret.prefix,
          ...(createdByKeyId ? { createdByKeyId } : {}),
        });
        return { clientKey, key: secret.key };
      });
    } catch (err) {
      // The owner was deleted between authentication and this insert: their credentials are void.
      if (isForeignKeyViolation(err)) throw new UnauthenticatedError('Invalid credentials: the user no longer exists');
      throw err;
    }
  }

  /**
   * Issues a new secret for the same key (same id and settings). The old secret keeps
   * working for the grace period, never past the key's own expiry; a grace of 0 ends it now.
   */
  async rotate(actor: Actor, id: string, gracePeriodSeconds: number): Promise<IssuedKey> {
    const grace = checkGracePeriod(gracePeriodSeconds);
    const secret = generateKey();
    return this.changes.run(actor, id, async (em, key, authority) => {
      assertNotRevoked(key, 'rotated');
      if (key.status === ClientKeyStatus.EXPIRED) throw new BadUserInputError('id', 'the key has expired: give it a new expiresAt before rotating');
      // The new secret carries the key's terms away: a client key may take it only if those
      // terms lie within its own, as if it had minted the key (users are not limited so).
      if (authority.key) {
        checkKeyWithinActor(authority.key, key);
        allowedCidrsFor(
          authority.key.allowedCidrs,
          key.allowedCidrs ?? [],
          'A key restricted by allowedCidrs cannot take the secret of a key usable outside its ranges',
        );
      }
      const graceEnd = new Date(Math.min(Date.now() + grace * 1000, key.expiresAt?.getTime() ?? Infinity));
      const previousPrefix = key.keyPrefix;
      key.previousKeyHash = grace > 0 ? key.keyHash : null;
      key.previousKeyExpiresAt = grace > 0 ? graceEnd : null;
      key.keyHash = secret.hash;
      key.keyPrefix = secret.prefix;
      const saved = await em.getRepository(ClientKey).save(key);
      await this.audit.record(em, actor, 'client_key.rotated', auditTarget(saved), {
        keyPrefix: { from: previousPrefix, to: secret.prefix },
        previousKeyExpiresAt: grace > 0 ? graceEnd.toISOString() : null,
      });
      return { clientKey: saved, key: secret.key };
    });
  }
}
