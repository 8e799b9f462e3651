import { print } from 'graphql';
import { RefreshSessionDocument, type SessionFieldsFragment } from './generated/graphql';
import { TabChannel, type TabMessage, withTabLock } from './tab-channel';

/**
 * The signed-in user's tokens. Kept in sessionStorage (survives a reload, gone when the tab closes) and
 * shared with the browser's other open tabs over a BroadcastChannel; never in localStorage.
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is no longer accepted. */
  expiresAt: number;
  /** Epoch milliseconds when this session was issued: between tabs, the newest wins. */
  issuedAt: number;
  user: SessionFieldsFragment['user'];
}

const STORAGE_KEY = 'keygate.console.session';
// Renew a little before the access token runs out, so a request never leaves with a dying token.
const RENEW_MARGIN_MS = 30_000;
// How long a tab waits for an open tab to share its session (on opening, and before spending a refresh token).
const ASK_MS = 250;
const ENDED = 'Your session has ended: sign in again.';

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function sessionFrom(payload: SessionFieldsFragment): Session {
  const now = Date.now();
  return {
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    expiresAt: now + payload.expiresIn * 1000,
    issuedAt: now,
    user: payload.user,
  };
}

type Listener = (session: Session | null) => void;

export class SessionStore {
  private session: Session | null = read();
  private readonly listeners = new Set<Listener>();
  private renewing: Promise<boolean> | null = null;
  private readonly tabs = new TabChannel((message) => this.receive(message));
  private answered: (() => void) | null = null;
  /** True while a newly opened tab, with no session of its own, waits for another tab's. */
  waiting = false;
  /** Why the last session ended on its own, for the sign-in screen. */
  endedBecause: string | null = null;

  constructor(private readonly endpoint: string) {
    if (!this.tabs.available) return;
    this.waiting = !this.session;
    void this.askOtherTabs().then(() => {
      this.waiting = false;
      this.notify();
    });
  }

  get current(): Session | null {
    return this.session;
  }

  /** A sign-in, renewal or sign-out in this tab: every other tab follows. */
  set(session: Session | null, reason?: string): void {
    this.adopt(session);
    this.tabs.post({ type: 'session', session, reason });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  needsRenewal(): boolean {
    return !!this.session && this.session.expiresAt - Date.now() < RENEW_MARGIN_MS;
  }

  /**
   * Exchanges the refresh token for a new session. One exchange at a time across all tabs: refresh tokens
   * are single use, so two concurrent exchanges would end the session. Resolves false (and signs out) when it fails.
   */
  renew(): Promise<boolean> {
    this.renewing ??= this.renewOnce().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renewOnce(): Promise<boolean> {
    const spent = this.session?.refreshToken;
    if (!spent) return false;
    return withTabLock('keygate.console.renew', async () => {
      // Another tab may have renewed while this one waited for the lock: take its session instead.
      if (this.session?.refreshToken === spent) await this.askOtherTabs();
      if (this.session?.refreshToken !== spent) return !!this.session;
      return this.exchange(spent);
    });
  }

  /** Asks the open tabs for their session; resolves when a newer one arrives, or after a short wait. */
  private askOtherTabs(): Promise<void> {
    if (!this.tabs.available) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.answered = null;
        resolve();
      };
      const timer = setTimeout(finish, ASK_MS);
      this.answered = finish;
      this.tabs.post({ type: 'ask' });
    });
  }

  private receive(message: TabMessage): void {
    if (message.type === 'ask') {
      if (this.session) this.tabs.post({ type: 'session', session: this.session });
      return;
    }
    if (message.session === null) {
      if (!this.session) return;
      this.endedBecause = message.reason ?? ENDED;
      this.adopt(null);
      return;
    }
    // Answers to an ask can be older than what this tab holds: only a newer session replaces it.
    if (this.session && this.session.issuedAt >= message.session.issuedAt) return;
    this.adopt(message.session);
    this.answered?.();
  }

  private adopt(session: Session | null): void {
    this.session = session;
    if (session) this.endedBecause = null;
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.session);
  }

  private async exchange(refreshToken: string): Promise<boolean> {
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query: print(RefreshSessionDocument), operationName: 'RefreshSession', variables: { refreshToken } }),
      });
      const body = (await response.json()) as { data?: { refreshToken: SessionFieldsFragment } | null };
      if (body.data?.refreshToken) {
        this.set(sessionFrom(body.data.refreshToken));
        return true;
      }
    } catch {
      // A network failure ends the session the same way as a refused token: sign in again.
    }
    this.endedBecause = ENDED;
    this.set(null, ENDED);
    return false;
  }
}
