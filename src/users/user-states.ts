import type { DataSource } from 'typeorm';
import { FreshCache } from '../common/fresh-cache';
import type { UserRole } from '../identity/user-role';

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
  private readonly states: FreshCache<string, CacheValue>;

  constructor(
    private readonly db: DataSource,
    options: UserStatesOptions = {},
  ) {
    this.states = new FreshCache((userId) => this.query(userId), options);
  }

  /** The user's state, or null when no such user exists. Synchronous when cached. */
  get(userId: string): UserState | null | Promise<UserState | null> {
    const state = this.states.get(userId);
    if (state instanceof Promise) return state.then((value) => (value === GONE ? null : value));
    return state === GONE ? null : state;
  }

  /** Reads the user now (a login, a refresh) so the requests that follow find it warm. */
  async warm(userId: string): Promise<void> {
    await this.get(userId);
  }

  invalidate(userId: string): void {
    this.states.invalidate([userId]);
  }

  clear(): void {
    this.states.clear();
  }

  private async query(userId: string): Promise<CacheValue> {
    // Ids come from signed tokens and stored keys; a malformed one names nobody (and must not reach SQL).
    if (!UUID.test(userId)) return GONE;
    const rows: UserRow[] = await this.db.query('SELECT id, role, token_version FROM users WHERE id = $1', [userId]);
    const row = rows[0];
    return row ? { id: row.id, role: row.role, tokenVersion: row.token_version } : GONE;
  }
}
