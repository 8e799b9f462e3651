import type { DataSource } from 'typeorm';
import { FreshCache } from '../common/fresh-cache';
import type { ClientKeyVerifier } from '../auth/authenticator';
import type { ClientKeyPrincipal } from '../identity/principal';
import { type KeyFailureReason, UnauthenticatedError } from '../errors/app-errors';
import { CidrAllowlist } from '../ip-allowlist/cidr-list';
import type { Metrics } from '../metrics/metrics';
import type { RoleScopes } from '../identity/role-scopes';
import type { UserState, UserStates } from '../users/user-states';
import { hashKeyHex, hasKeyLength, isWellFormedKey } from './key-material';

/** What one secret is, as last read from the database. What it may do depends on its owner too. */
interface KeyRecord {
  id: string;
  userId: string;
  /** The key's own scopes; its authority is these intersected with its owner's current ones. */
  scopes: readonly string[];
  keyPrefix: string;
  expiresAt: Date | null;
  rateLimitPerMinute: number;
  /** The key's allowedCidrs, parsed once; absent when it may be used from anywhere. */
  allowedFrom?: CidrAllowlist;
  revoked: boolean;
  /** When this secret stops working: the key's expiry, or a rotation's grace end. */
  endsAt: number;
  /** The principal built for one owner state, reused while that state is current (no allocation per request). */
  composed?: { owner: UserState; held: ReadonlySet<string>; principal: ClientKeyPrincipal };
}

const UNKNOWN = 'unknown' as const;
type CacheValue = KeyRecord | typeof UNKNOWN;

export interface KeyVerifierOptions {
  /** How long a verification is reused; invalidation normally clears it much sooner. */
  ttlMs?: number;
  /** Unknown (but well-formed) keys are remembered briefly, so guessing costs no query. */
  unknownTtlMs?: number;
  maxEntries?: number;
  /** False while invalidations cannot be received: the cache is then bypassed. */
  cacheUsable?: () => boolean;
  onVerified?: (principal: ClientKeyPrincipal) => void;
}

const FAILURES: Record<KeyFailureReason, string> = {
  KEY_INVALID: 'Invalid client key',
  KEY_EXPIRED: 'Client key has expired',
  KEY_REVOKED: 'Client key has been revoked',
};

interface KeyRow {
  id: string;
  user_id: string;
  key_prefix: string;
  scopes: string[];
  rate_limit_per_minute: number;
  expires_at: Date | null;
  revoked_at: Date | null;
  is_previous: boolean;
  previous_key_expires_at: Date | null;
  allowed_cidrs: string[];
}

export class KeyVerifier implements ClientKeyVerifier {
  /** By SHA-256 (hex) of the secret. */
  private readonly records: FreshCache<string, CacheValue>;

  constructor(
    private readonly db: DataSource,
    private readonly metrics: Metrics,
    /** The owners' current roles and existence: a key never holds more than its owner does now. */
    private readonly owners: UserStates,
    /** This app's roles and their scopes (KEYGATE_CONFIG may extend them). */
    private readonly roles: RoleScopes,
    private readonly options: KeyVerifierOptions = {},
  ) {
    this.records = new FreshCache((hash) => this.query(hash), {
      ttlMs: options.ttlMs ?? 60_000,
      maxEntries: options.maxEntries,
      cacheUsable: options.cacheUsable,
      ttlOf: (value) => (value === UNKNOWN ? (options.unknownTtlMs ?? 5_000) : undefined),
    });
    this.counters = {
      valid: metrics.keyVerificationTallies.child({ result: 'valid' }),
      hit: metrics.keyCacheLookupTallies.child({ result: 'hit' }),
      miss: metrics.keyCacheLookupTallies.child({ result: 'miss' }),
    };
  }

  /** Counted in plain numbers, read when /metrics is scraped (metrics/hot-path-metrics.ts). */
  private readonly counters: Record<'valid' | 'hit' | 'miss', { inc(): void }>;

  /**
   * Synchronous for a cached key (the common case: no promise on the request path), a promise
   * when the database has to be asked. Failures throw UnauthenticatedError either way.
   */
  verify(key: string): ClientKeyPrincipal | Promise<ClientKeyPrincipal> {
    if (!hasKeyLength(key)) return this.fail('KEY_INVALID');
    const hash = hashKeyHex(key);
    // Only well-formed keys are ever cached (known or unknown), so a hit needs no checksum.
    const cached = this.records.peek(hash);
    if (cached !== undefined) {
      this.counters.hit.inc();
      return this.admit(cached);
    }
    // The checksum turns away typos and guesses without touching the database.
    if (!isWellFormedKey(key)) return this.fail('KEY_INVALID');
    this.counters.miss.inc();
    return this.records.load(hash).then((record) => this.admit(record));
  }

  private admit(record: CacheValue): ClientKeyPrincipal | Promise<ClientKeyPrincipal> {
    if (record === UNKNOWN) return this.fail('KEY_INVALID');
    if (record.revoked) return this.fail('KEY_REVOKED');
    // Checked on every request, cached or not: expiry is honoured to the second.
    if (Date.now() >= record.endsAt) return this.fail('KEY_EXPIRED');
    const owner = this.owners.get(record.userId);
    return owner instanceof Promise ? owner.then((state) => this.accept(record, state)) : this.accept(record, owner);
  }

  /** The key acts with its own scopes that its owner still holds, and the owner's current role. */
  private accept(record: KeyRecord, owner: UserState | null): ClientKeyPrincipal {
    // A deleted owner's keys are deleted with them; a cached copy must not outlive that.
    if (!owner) return this.fail('KEY_INVALID');
    const held = this.roles.setOf(owner.role);
    let principal = record.composed?.owner === owner && record.composed.held === held ? record.composed.principal : undefined;
    if (!principal) {
      principal = {
        kind: 'CLIENT_KEY',
        id: record.id,
        userId: record.userId,
        role: owner.role,
        scopes: new Set(record.scopes.filter((scope) => held.has(scope))),
        keyPrefix: record.keyPrefix,
        expiresAt: record.expiresAt,
        rateLimitPerMinute: record.rateLimitPerMinute,
        allowedFrom: record.allowedFrom,
      };
      record.composed = { owner, held, principal };
    }
    this.counters.valid.inc();
    this.options.onVerified?.(principal);
    return principal;
  }

  invalidateHashes(hashes: string[]): void {
    this.records.invalidate(hashes);
  }

  invalidateUser(userId: string): void {
    this.records.invalidateWhere((value) => value !== UNKNOWN && value.userId === userId);
  }

  clear(): void {
    this.records.clear();
  }

  private async query(hashHex: string): Promise<CacheValue> {
    const rows: KeyRow[] = await this.db.query(
      `SELECT k.id, k.user_id, k.key_prefix, k.scopes, k.rate_limit_per_minute, k.expires_at, k.revoked_at,
              k.key_hash <> $1 AS is_previous, k.previous_key_expires_at, k.allowed_cidrs
         FROM client_keys k
        WHERE k.key_hash = $1 OR k.previous_key_hash = $1`,
      [Buffer.from(hashHex, 'hex')],
    );
    const row = rows[0];
    if (!row) return UNKNOWN;
    const keyEnd = row.expires_at?.getTime() ?? Infinity;
    const secretEnd = row.is_previous ? Math.min(keyEnd, row.previous_key_expires_at?.getTime() ?? 0) : keyEnd;
    return {
      id: row.id,
      userId: row.user_id,
      scopes: row.scopes,
      keyPrefix: row.key_prefix,
      expiresAt: row.expires_at,
      rateLimitPerMinute: row.rate_limit_per_minute,
      revoked: row.revoked_at !== null,
      endsAt: secretEnd,
      allowedFrom: CidrAllowlist.of(row.allowed_cidrs),
    };
  }

  private fail(reason: KeyFailureReason): never {
    this.metrics.keyVerifications.inc({ result: reason.slice(4).toLowerCase() });
    throw new UnauthenticatedError(FAILURES[reason], reason);
  }
}
