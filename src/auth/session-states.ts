import type { DataSource } from 'typeorm';
import { FreshCache } from '../common/fresh-cache';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionStatesOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** False while invalidations cannot be received: every request then reads the database. */
  cacheUsable?: () => boolean;
}

/**
 * Whether each session (a refresh token family, named by access tokens' `sid`) is still live,
 * so that logout ends the session's access tokens as well as its refresh token. Cached: a warm
 * session costs no query. Entries are dropped by `invalidate`, which every instance calls when
 * the NOTIFY of a logout or a detected refresh-token theft arrives (see KeyInvalidationBus).
 * A password change or "log out everywhere" needs no entry here: the user's token version ends
 * those access tokens (UserStates).
 */
export class SessionStates {
  private readonly live: FreshCache<string, boolean>;

  constructor(
    private readonly db: DataSource,
    options: SessionStatesOptions = {},
  ) {
    this.live = new FreshCache((sessionId) => this.query(sessionId), options);
  }

  /** Synchronous when cached. */
  isLive(sessionId: string): boolean | Promise<boolean> {
    return this.live.get(sessionId);
  }

  /** Reads the session now (a login, a refresh) so the requests that follow find it warm. */
  async warm(sessionId: string): Promise<void> {
    await this.live.get(sessionId);
  }

  invalidate(sessionIds: Iterable<string>): void {
    this.live.invalidate(sessionIds);
  }

  clear(): void {
    this.live.clear();
  }

  private async query(sessionId: string): Promise<boolean> {
    // Ids come from signed tokens; a malformed one names no session (and must not reach SQL).
    if (!UUID.test(sessionId)) return false;
    // Ending a session revokes every token of its family: one revoked token means it has ended.
    const rows: Array<{ live: boolean | null }> = await this.db.query('SELECT bool_and(revoked_at IS NULL) AS live FROM refresh_tokens WHERE family_id = $1', [
      sessionId,
    ]);
    return rows[0]?.live === true;
  }
}
