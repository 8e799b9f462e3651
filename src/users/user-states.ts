import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import type { UserRole } from './user-role';

/** What a user's credentials are worth right now: read from the database, cached until told otherwise. */
export interface UserState {
  id: string;
  role: UserRole;
  /** Access tokens issued under another value are refused (password change, "log out everywhere"). */
  tokenVersion: number;
}

/** Remembered for users that do not exist (deleted), so their stale credentials cost no query either. */
const GONE = 'gone' as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type CacheValue = UserState | typeof GONE;

export interface UserStatesOptions {
  /** Backstop only: invalidation normally drops an entry within milliseconds of the change. */
  ttlMs?: number;
  maxEntries?: number;
  /** False while invalidations cannot be received: every request then reads the database. */
  cacheUsable?: () => boolean;
}

interface UserRow {
  id: string;
  role: UserRole;
  token_version: number;
}

/**
 * The current role, existence and token version of each user, for computing authority on every
 * request: a warm user costs no query. Entries are dropped by `invalidate`, which every instance
 * calls when the PostgreSQL NOTIFY of a role change, deletion, password change or "log out
 * everywhere" arrives (see KeyInvalidationBus); while that channel is down the cache is bypassed.
 */
export class UserStates {
  private readonly cache: LRUCache<string, CacheValue>;
  private readonly inFlight = new Map<string, Promise<CacheValue>>();
  /** Bumped by every invalidation, so a read that raced one is not cached. */
  private generation = 0;

  constructor(
    private readonly db: DataSource,
    private readonly options: UserStatesOptions = {},
  ) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 100_000, ttl: options.ttlMs ?? 60_000 });
  }

  /** The user's state, or null when no such user exists. Synchronous when cached. */
  get(userId: string): UserState | null | Promise<UserState | null> {
    const useCache = this.options.cacheUsable?.() ?? true;
    const cached = useCache ? this.cache.get(userId) : undefined;
    if (cached !== undefined) return cached === GONE ? null : cached;
    return this.load(userId, useCache).then((value) => (value === GONE ? null : value));
  }

  /** Reads the user now (a login, a refresh) so the requests that follow find it warm. */
  async warm(userId: string): Promise<void> {
    await this.get(userId);
  }

  invalidate(userId: string): void {
    this.generation++;
    this.cache.delete(userId);
    // A read already under way may predate the change: later requests must not join it.
    this.inFlight.delete(userId);
  }

  clear(): void {
    this.generation++;
    this.cache.clear();
    this.inFlight.clear();
  }

  private load(userId: string, useCache: boolean): Promise<CacheValue> {
    let pending = this.inFlight.get(userId);
    if (!pending) {
      const generation = this.generation;
      const started: Promise<CacheValue> = this.query(userId).finally(() => {
        if (this.inFlight.get(userId) === started) this.inFlight.delete(userId);
      });
      pending = started;
      this.inFlight.set(userId, pending);
      void pending.then(
        (value) => {
          if (useCache && generation === this.generation) this.cache.set(userId, value);
        },
        () => undefined,
      );
    }
    return pending;
  }

  private async query(userId: string): Promise<CacheValue> {
    // Ids come from signed tokens and stored keys; a malformed one names nobody (and must not reach SQL).
    if (!UUID.test(userId)) return GONE;
    const rows: UserRow[] = await this.db.query('SELECT id, role, token_version FROM users WHERE id = $1', [userId]);
    const row = rows[0];
    return row ? { id: row.id, role: row.role, tokenVersion: row.token_version } : GONE;
  }
}
