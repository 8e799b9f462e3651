import { print } from 'graphql';
import { RefreshSessionDocument, type SessionFieldsFragment } from './generated/graphql';

/** The signed-in user's tokens. Kept in sessionStorage: gone when the tab closes, never in localStorage. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is no longer accepted. */
  expiresAt: number;
  user: SessionFieldsFragment['user'];
}

const STORAGE_KEY = 'keygate.console.session';
// Renew a little before the access token runs out, so a request never leaves with a dying token.
const RENEW_MARGIN_MS = 30_000;

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function sessionFrom(payload: SessionFieldsFragment): Session {
  return {
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    expiresAt: Date.now() + payload.expiresIn * 1000,
    user: payload.user,
  };
}

type Listener = (session: Session | null) => void;

export class SessionStore {
  private session: Session | null = read();
  private readonly listeners = new Set<Listener>();
  private renewing: Promise<boolean> | null = null;
  /** Why the last session ended on its own, for the sign-in screen. */
  endedBecause: string | null = null;

  constructor(private readonly endpoint: string) {}

  get current(): Session | null {
    return this.session;
  }

  set(session: Session | null): void {
    this.session = session;
    if (session) this.endedBecause = null;
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
    for (const listener of this.listeners) listener(session);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  needsRenewal(): boolean {
    return !!this.session && this.session.expiresAt - Date.now() < RENEW_MARGIN_MS;
  }

  /**
   * Exchanges the refresh token for a new session. One exchange at a time: refresh tokens are single use,
   * so two concurrent exchanges would end the session. Resolves false (and signs out) when it fails.
   */
  renew(): Promise<boolean> {
    this.renewing ??= this.exchange().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async exchange(): Promise<boolean> {
    const refreshToken = this.session?.refreshToken;
    if (!refreshToken) return false;
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
    this.endedBecause = 'Your session has ended: sign in again.';
    this.set(null);
    return false;
  }
}
