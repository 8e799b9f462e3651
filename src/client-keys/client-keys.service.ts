import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { keysetPage } from '../common/keyset';
import type { Page, PageRequest } from '../common/pagination';
import { checkUuid } from '../common/validation';
import type { Actor } from '../context/actor';
import type { Principal } from '../context/principal';
import { BadUserInputError, NotFoundError } from '../errors/app-errors';
import { UserRole } from '../users/user-role';
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
import { checkAllowedCidrs } from '../ip-allowlist/cidr-list';
import { generateKey } from './key-material';

export interface CreateClientKeyData {
  name: string;
  description?: string | null;
  scopes: string[];
  rateLimitPerMinute?: number | null;
  expiresAt?: Date | null;
  allowedCidrs?: string[] | null;
}

/** Absent fields stay as they are; `expiresAt: null` removes the expiry. */
export interface UpdateClientKeyData {
  name?: string | null;
  description?: string | null;
  scopes?: string[] | null;
  rateLimitPerMinute?: number | null;
  expiresAt?: Date | null;
  /** Null or empty: usable from anywhere. */
  allowedCidrs?: string[] | null;
}

export interface ClientKeyFilter {
  status?: ClientKeyStatus | null;
  userId?: string | null;
}

export interface IssuedKey {
  clientKey: ClientKey;
  /** The secret: returned once, never stored. */
  key: string;
}

export interface KeyChange {
  id: string;
  /** SHA-256 (hex) of every secret the key had before the change. */
  hashes: string[];
}

/** Told after a commit which key changed, so cached verifications of it are dropped at once. */
export type KeyChangeListener = (change: KeyChange) => void;

/** Runs inside the change's transaction, so other instances hear of it exactly on commit. */
export type KeyChangePublisher = (em: EntityManager, change: KeyChange) => Promise<void>;

function canSeeAll(principal: Principal): boolean {
  return principal.role === UserRole.ADMIN;
}

function hashesOf(key: ClientKey): string[] {
  return (key.previousKeyHash ? [key.keyHash, key.previousKeyHash] : [key.keyHash]).map((h) => h.toString('hex'));
}

export class ClientKeysService {
  private readonly listeners: KeyChangeListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly publish: KeyChangePublisher = async () => undefined,
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
    return this.findVisible(this.db.manager, viewer, id, false);
  }

  async create(actor: Actor, data: CreateClientKeyData): Promise<IssuedKey> {
    const values = {
      name: checkName(data.name),
      description: checkDescription(data.description),
      scopes: checkGrantableScopes(data.scopes, actor.principal),
      rateLimitPerMinute: checkRateLimit(data.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE),
      expiresAt: checkExpiry(data.expiresAt),
      allowedCidrs: checkAllowedCidrs(data.allowedCidrs),
    };
    const secret = generateKey();
    return this.db.transaction(async (em) => {
      const clientKey = await em.getRepository(ClientKey).save(
        em.getRepository(ClientKey).create({ ...values, userId: actor.principal.userId, keyHash: secret.hash, keyPrefix: secret.prefix }),
      );
      await this.audit.record(em, actor, 'client_key.created', this.target(clientKey), {
        ...values,
        expiresAt: values.expiresAt?.toISOString() ?? null,
        keyPrefix: secret.prefix,
      });
      return { clientKey, key: secret.key };
    });
  }

  async update(actor: Actor, id: string, data: UpdateClientKeyData): Promise<ClientKey> {
    const next: Partial<ClientKey> = {};
    if (data.name != null) next.name = checkName(data.name);
    if (data.description !== undefined) next.description = checkDescription(data.description);
    if (data.scopes != null) next.scopes = checkGrantableScopes(data.scopes, actor.principal);
    if (data.rateLimitPerMinute != null) next.rateLimitPerMinute = checkRateLimit(data.rateLimitPerMinute);
    if (data.expiresAt !== undefined) next.expiresAt = checkExpiry(data.expiresAt);
    if (data.allowedCidrs !== undefined) next.allowedCidrs = checkAllowedCidrs(data.allowedCidrs);

    return this.change(actor, id, async (em, key) => {
      this.assertNotRevoked(key, 'updated');
      const changes: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(next) as Array<[keyof ClientKey, unknown]>) {
        const before = key[field];
        if (JSON.stringify(before) === JSON.stringify(value)) continue;
        changes[field] = { from: before, to: value };
        (key as unknown as Record<string, unknown>)[field] = value;
      }
      if (Object.keys(changes).length === 0) return key;
      const saved = await em.getRepository(ClientKey).save(key);
      await this.audit.record(em, actor, 'client_key.updated', this.target(saved), changes);
      return saved;
    });
  }

  /**
   * Issues a new secret for the same key (same id and settings). The old secret keeps
   * working for the grace period, never past the key's own expiry; a grace of 0 ends it now.
   */
  async rotate(actor: Actor, id: string, gracePeriodSeconds: number): Promise<IssuedKey> {
    const grace = checkGracePeriod(gracePeriodSeconds);
    const secret = generateKey();
    return this.change(actor, id, async (em, key) => {
      this.assertNotRevoked(key, 'rotated');
      if (key.status === ClientKeyStatus.EXPIRED) throw new BadUserInputError('id', 'the key has expired: give it a new expiresAt before rotating');
      const graceEnd = new Date(Math.min(Date.now() + grace * 1000, key.expiresAt?.getTime() ?? Infinity));
      const previousPrefix = key.keyPrefix;
      const oldHashes = hashesOf(key);
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

  /** Revoking an already revoked key changes nothing and succeeds. */
  async revoke(actor: Actor, id: string, reason?: string | null): Promise<ClientKey> {
    const why = reason == null ? null : reason.trim().slice(0, 500) || null;
    return this.change(actor, id, async (em, key) => {
      if (key.revokedAt) return key;
      key.revokedAt = new Date();
      key.revokedReason = why;
      const saved = await em.getRepository(ClientKey).save(key);
      await this.audit.record(em, actor, 'client_key.revoked', this.target(saved), { reason: why });
      return saved;
    });
  }

  async delete(actor: Actor, id: string): Promise<ClientKey> {
    return this.change(actor, id, async (em, key) => {
      await this.audit.record(em, actor, 'client_key.deleted', this.target(key), { name: key.name, keyPrefix: key.keyPrefix });
      await em.getRepository(ClientKey).delete({ id: key.id });
      return key;
    });
  }

  /** Locks the visible key, applies `fn` in one transaction, then tells listeners which secrets it concerned. */
  private async change<T>(actor: Actor, id: string, fn: (em: EntityManager, key: ClientKey) => Promise<T>): Promise<T> {
    let touched: KeyChange | undefined;
    const result = await this.db.transaction(async (em) => {
      const key = await this.findVisible(em, actor.principal, id, true);
      touched = { id: key.id, hashes: hashesOf(key) };
      const outcome = await fn(em, key);
      await this.publish(em, touched);
      return outcome;
    });
    for (const listener of this.listeners) listener(touched!);
    return result;
  }

  /** Another user's key is reported as missing, never as forbidden: its existence is not revealed. */
  private async findVisible(em: EntityManager, viewer: Principal, id: string, lock: boolean): Promise<ClientKey> {
    const key = await em.getRepository(ClientKey).findOne({
      where: { id: checkUuid(id) },
      lock: lock ? { mode: 'pessimistic_write' } : undefined,
    });
    if (!key || (!canSeeAll(viewer) && key.userId !== viewer.userId)) throw new NotFoundError('Client key');
    return key;
  }

  private assertNotRevoked(key: ClientKey, verb: string): void {
    if (key.revokedAt) throw new BadUserInputError('id', `a revoked key cannot be ${verb}`);
  }

  private target(key: ClientKey) {
    return { clientKeyId: key.id, userId: key.userId };
  }
}
