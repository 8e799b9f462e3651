import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { keysetPage } from '../common/keyset';
import type { Page, PageRequest } from '../common/pagination';
import { checkUuid } from '../common/validation';
import type { Actor } from '../identity/actor';
import type { Principal } from '../identity/principal';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../errors/app-errors';
import { allowedCidrsFor, CidrWideningError } from '../ip-allowlist/cidrs-for-actor';
import { checkAllowedCidrs, cidrsNarrowed, cidrsWithin } from '../ip-allowlist/cidr-list';
import { type CurrentAuthority, currentAuthority } from '../users/current-authority';
import { transactionQuery } from '../users/transaction-query';
import { User } from '../users/user.entity';
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
import { cappedTerms, checkCanActOn, checkKeyDoesNotExtend, checkKeyWithinActor, childTerms } from './key-ceiling';
import { canSeeAll, effectiveScopes, findKey, visibleOrNotFound } from './key-access';
import type { RoleScopes } from '../identity/role-scopes';
import { lockDescendants, reparentMinted } from './key-lineage';
import { checkCreditsNotLoosened } from '../limits/limit-ceiling';
import { checkCreditsAmount, creditsOf } from '../limits/limit-rules';
import { checkBudget, newBudgetColumns, updatedBudgetColumns } from './key-budget-terms';
import { generateKey } from './key-material';
import type {
  ClientKeyFilter,
  CreateClientKeyData,
  IssuedKey,
  KeyBudgets,
  KeyChange,
  KeyChangeListener,
  KeyChangePublisher,
  UpdateClientKeyData,
} from './client-keys.types';

export type { ClientKeyFilter, CreateClientKeyData, IssuedKey, KeyChange, KeyChangeListener, KeyChangePublisher, UpdateClientKeyData };

/** PostgreSQL's foreign_key_violation: the owner's row disappeared under an insert. */
function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e?.driverError?.code ?? e?.code) === '23503';
}

/** Taken exclusively by changes that walk or rewire a lineage, shared by changes a key makes. */
const LINEAGE_LOCK = 'keygate:key-lineage';
/** Why a minted key is revoked when its parent's new allowedCidrs leave it no address. */
const NO_ADDRESS_LEFT = "Revoked: the key that minted it no longer allows any of this key's allowedCidrs";
const REVOKE_REFUSED = 'These allowedCidrs would revoke a key minted under this one that the caller may not act on; a user can narrow them';

const AUDIT_NAMES: Partial<Record<keyof ClientKey, string>> = {
  namedLimits: 'limits',
  maxOperationCostSetting: 'maxOperationCost',
  creditsRemaining: 'credits',
  creditsRefill: 'creditsRefill',
  creditsRefilledAt: 'creditsRefilledAt',
};

function hashesOf(key: ClientKey): string[] {
  return (key.previousKeyHash ? [key.keyHash, key.previousKeyHash] : [key.keyHash]).map((h) => h.toString('hex'));
}

export class ClientKeysService {
  private readonly listeners: KeyChangeListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    /** This app's roles and scope catalog (KEYGATE_CONFIG may extend them). */
    private readonly roles: RoleScopes,
    private readonly publish: KeyChangePublisher = async () => undefined,
    readonly budgets: KeyBudgets = {
      defaultMaxOperationCost: 5000,
      creditsChanged: async () => undefined,
      remaining: async () => ({ estimated: 0, nodeCount: 0, limits: [], credits: null }),
      flushCredits: async () => undefined,
      unwritten: () => 0,
    },
  ) {}

  onChange(listener: KeyChangeListener): void {
    this.listeners.push(listener);
  }

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
        await this.audit.record(em, actor, 'client_key.created', this.target(clientKey), {
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

  async update(actor: Actor, id: string, data: UpdateClientKeyData): Promise<ClientKey> {
    const updated = await this.updateTerms(actor, id, data);
    if (data.credits !== undefined) await this.budgets.creditsChanged('KEY', updated.id, true);
    return updated;
  }

  private async updateTerms(actor: Actor, id: string, data: UpdateClientKeyData): Promise<ClientKey> {
    const next: Partial<ClientKey> = {};
    if (data.name != null) next.name = checkName(data.name);
    if (data.description !== undefined) next.description = checkDescription(data.description);
    if (data.rateLimitPerMinute != null) next.rateLimitPerMinute = checkRateLimit(data.rateLimitPerMinute);
    if (data.expiresAt !== undefined) next.expiresAt = checkExpiry(data.expiresAt);
    // Validated here; measured against the acting key's ranges inside the transaction.
    const requestedCidrs = data.allowedCidrs === undefined ? undefined : checkAllowedCidrs(data.allowedCidrs ?? []);
    const budget = checkBudget(data);

    return this.change(
      actor,
      id,
      async (em, key, authority, touch) => {
        this.assertNotRevoked(key, 'updated');
        if (data.scopes != null) next.scopes = checkGrantableScopes(data.scopes, authority, this.roles.catalog);
        if (requestedCidrs !== undefined) {
          next.allowedCidrs = allowedCidrsFor(authority.key?.allowedCidrs, requestedCidrs);
          // As with expiry and limit, a client key may only narrow a key's ranges; a user can widen them.
          if (authority.key && cidrsNarrowed(next.allowedCidrs, key.allowedCidrs ?? [])) {
            throw new CidrWideningError("A client key cannot widen a key's allowedCidrs; a user can");
          }
        }
        // Only users may lengthen a key's life or raise its limit; a key may only narrow them.
        if (authority.key) checkKeyDoesNotExtend(key, next);
        Object.assign(next, updatedBudgetColumns(key, budget, !!authority.key, this.budgets.defaultMaxOperationCost));
        const rangesNarrowed = next.allowedCidrs !== undefined && cidrsNarrowed(key.allowedCidrs ?? [], next.allowedCidrs);
        const changes: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(next) as Array<[keyof ClientKey, unknown]>) {
          const before = key[field];
          if (JSON.stringify(before) === JSON.stringify(value)) continue;
          // Audited under the names clients know (`limits`, `maxOperationCost`, `credits`), not the columns'.
          changes[AUDIT_NAMES[field] ?? field] = { from: before, to: value };
          (key as unknown as Record<string, unknown>)[field] = value;
        }
        if (Object.keys(changes).length === 0) return key;
        const saved = await em.getRepository(ClientKey).save(key);
        await this.audit.record(em, actor, 'client_key.updated', this.target(saved), changes);
        if (changes.expiresAt || changes.rateLimitPerMinute || rangesNarrowed) await this.capDescendants(em, actor, saved, authority, touch, rangesNarrowed);
        return saved;
      },
      { lineage: next.expiresAt !== undefined || next.rateLimitPerMinute !== undefined || requestedCidrs !== undefined },
    );
  }

  /**
   * A minted key never outlives its parent, exceeds its limit or is usable from an address its
   * parent is not: narrowing a parent narrows its lineage. When the parent's ranges were narrowed,
   * a descendant keeps only its ranges inside them, and one left with no address is revoked, with
   * the reason in the audit trail: like a cascade, only if the actor may act on that key (else the
   * whole change is refused, FORBIDDEN), since a revocation cannot be undone.
   */
  private async capDescendants(
    em: EntityManager,
    actor: Actor,
    parent: ClientKey,
    authority: CurrentAuthority,
    touch: (key: ClientKey) => void,
    rangesNarrowed: boolean,
  ): Promise<void> {
    const self = { userId: actor.principal.userId, role: authority.role };
    for (const child of await lockDescendants(em, parent.id)) {
      const capped: Partial<Pick<ClientKey, 'expiresAt' | 'rateLimitPerMinute' | 'allowedCidrs'>> = cappedTerms(parent, child);
      const cidrs = rangesNarrowed ? cidrsWithin(child.allowedCidrs ?? [], parent.allowedCidrs ?? []) : undefined;
      if (cidrs === null) {
        if (child.revokedAt) continue;
        // Refused without naming the key's scopes: the actor may not be able to read that key.
        checkCanActOn(authority.scopes, await effectiveScopes(em, child, self, this.roles), () => new CidrWideningError(REVOKE_REFUSED));
        touch(child);
        child.revokedAt = new Date();
        child.revokedReason = NO_ADDRESS_LEFT;
        await em.getRepository(ClientKey).save(child);
        await this.audit.record(em, actor, 'client_key.revoked', this.target(child), { reason: NO_ADDRESS_LEFT, cappedBy: parent.id });
        continue;
      }
      if (cidrs && JSON.stringify(cidrs) !== JSON.stringify(child.allowedCidrs ?? [])) capped.allowedCidrs = cidrs;
      if (Object.keys(capped).length === 0) continue;
      const changes = Object.fromEntries(Object.entries(capped).map(([field, to]) => [field, { from: child[field as keyof typeof capped], to }]));
      touch(child);
      Object.assign(child, capped);
      await em.getRepository(ClientKey).save(child);
      await this.audit.record(em, actor, 'client_key.updated', this.target(child), { ...changes, cappedBy: parent.id });
    }
  }

  /**
   * Changes a key's credits in PostgreSQL, atomically (SET, INCREMENT, DECREMENT; never below 0),
   * audited; every instance's live balance is then reloaded. A client key may only lower them.
   */
  async adjustCredits(actor: Actor, id: string, operation: 'SET' | 'INCREMENT' | 'DECREMENT', amount: number): Promise<ClientKey> {
    const units = checkCreditsAmount(amount, 'amount');
    // This instance's debits are written first, so the change is measured against what was really spent.
    await this.budgets.flushCredits();
    const saved = await this.change(actor, id, async (em, key, authority) => {
      this.assertNotRevoked(key, 'given credits');
      const before = creditsOf(key);
      if (!before && operation !== 'SET') throw new BadUserInputError('operation', 'the key has no credits: SET them first');
      const delta = operation === 'SET' ? null : operation === 'INCREMENT' ? units : -units;
      // TypeORM answers an UPDATE ... RETURNING as [rows, affected].
      const [rows]: [Array<{ credits_remaining: string }>, number] = await transactionQuery(
        em,
        `UPDATE client_keys SET credits_remaining = ${delta === null ? '$2::bigint' : 'GREATEST(0, credits_remaining + $2::bigint)'}, updated_at = now()
          WHERE id = $1 RETURNING credits_remaining`,
        [key.id, delta === null ? units : delta],
      );
      const row = rows[0];
      const after = Number(row.credits_remaining);
      if (authority.key) checkCreditsNotLoosened(before, { remaining: after, refill: before?.refill ?? null });
      key.creditsRemaining = row.credits_remaining;
      await this.audit.record(em, actor, 'client_key.updated', this.target(key), {
        credits: { operation, amount: units, from: before?.remaining ?? null, to: after },
      });
      return key;
    });
    await this.budgets.creditsChanged('KEY', saved.id, operation === 'SET');
    return saved;
  }

  /**
   * Issues a new secret for the same key (same id and settings). The old secret keeps
   * working for the grace period, never past the key's own expiry; a grace of 0 ends it now.
   */
  async rotate(actor: Actor, id: string, gracePeriodSeconds: number): Promise<IssuedKey> {
    const grace = checkGracePeriod(gracePeriodSeconds);
    const secret = generateKey();
    return this.change(actor, id, async (em, key, authority) => {
      this.assertNotRevoked(key, 'rotated');
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
      await this.audit.record(em, actor, 'client_key.rotated', this.target(saved), {
        keyPrefix: { from: previousPrefix, to: secret.prefix },
        previousKeyExpiresAt: grace > 0 ? graceEnd.toISOString() : null,
      });
      return { clientKey: saved, key: secret.key };
    });
  }

  /**
   * Revoking an already revoked key changes nothing and succeeds. With `cascade`, every key it
   * minted, and every key those minted, is revoked too, in the same transaction (all or nothing:
   * the caller must be able to act on each of them).
   */
  async revoke(actor: Actor, id: string, reason?: string | null, cascade = false): Promise<ClientKey> {
    const why = reason == null ? null : reason.trim().slice(0, 500) || null;
    return this.change(
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
          await this.audit.record(em, actor, 'client_key.revoked', this.target(saved), { reason: why });
        }
        for (const child of descendants) {
          if (child.revokedAt) continue;
          touch(child);
          child.revokedAt = revokedAt;
          child.revokedReason = why;
          await em.getRepository(ClientKey).save(child);
          await this.audit.record(em, actor, 'client_key.revoked', this.target(child), { reason: why, cascadeFrom: key.id });
        }
        return saved;
      },
      { lineage: cascade },
    );
  }

  async delete(actor: Actor, id: string): Promise<ClientKey> {
    return this.change(
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
        await this.audit.record(em, actor, 'client_key.deleted', this.target(key), { name: key.name, keyPrefix: key.keyPrefix });
        // Deleting a key in the middle of a lineage must not cut its descendants loose from a
        // cascade: they now descend from the deleted key's own parent.
        if (key.createdByKeyId) await reparentMinted(em, key.id, key.createdByKeyId);
        await em.getRepository(ClientKey).delete({ id: key.id });
        return key;
      },
      { lineage: true },
    );
  }

  /**
   * Locks the visible key, checks the actor may act on it (every scope it has), applies `fn` in
   * one transaction, then tells listeners which secrets it concerned. `fn` may `touch` more keys.
   * `lineage`: the change walks or rewires a lineage (cascade, capping, deletion's reparenting).
   */
  private async change<T>(
    actor: Actor,
    id: string,
    fn: (em: EntityManager, key: ClientKey, authority: CurrentAuthority, touch: (key: ClientKey) => void) => Promise<T>,
    options: { lineage?: boolean } = {},
  ): Promise<T> {
    const touched: KeyChange[] = [];
    const touch = (key: ClientKey) => touched.push({ id: key.id, hashes: hashesOf(key) });
    const { principal } = actor;
    const result = await this.db.transaction(async (em) => {
      // Lineage walks lock many rows, and a key acting on a key locks two (itself, the target):
      // walks take turns, and exclude keys' changes, so no two of them lock rows in crossing orders.
      if (options.lineage) await transactionQuery(em, 'SELECT pg_advisory_xact_lock(hashtext($1))', [LINEAGE_LOCK]);
      else if (principal.kind === 'CLIENT_KEY') await transactionQuery(em, 'SELECT pg_advisory_xact_lock_shared(hashtext($1))', [LINEAGE_LOCK]);
      // Two keys' changes lock their rows in id order; the acting key's FOR SHARE re-checks it is still active.
      const actingKeyFirst = principal.kind === 'CLIENT_KEY' && principal.id < checkUuid(id);
      let authority = actingKeyFirst ? await currentAuthority(em, principal, this.roles, { lockKey: true }) : undefined;
      const locked = await findKey(em, id, true);
      authority ??= await currentAuthority(em, principal, this.roles, { lockKey: true });
      const self = { userId: principal.userId, role: authority.role };
      const key = visibleOrNotFound(locked, self);
      checkCanActOn(authority.scopes, await effectiveScopes(em, key, self, this.roles));
      touch(key);
      const outcome = await fn(em, key, authority, touch);
      for (const change of touched) await this.publish(em, change);
      return outcome;
    });
    for (const change of touched) for (const listener of this.listeners) listener(change);
    return result;
  }

  private assertNotRevoked(key: ClientKey, verb: string): void {
    if (key.revokedAt) throw new BadUserInputError('id', `a revoked key cannot be ${verb}`);
  }

  private target(key: ClientKey) {
    return { clientKeyId: key.id, userId: key.userId };
  }
}
