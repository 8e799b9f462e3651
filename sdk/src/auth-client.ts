import { SdkLoginDocument, SdkLogoutDocument, SdkRefreshDocument, type SdkSessionFragment } from './generated/graphql.js';
import { KeygateError } from './errors.js';
import type { KeygateFetch } from './keygate-fetch.js';
import type { Session } from './types.js';

/** Refresh this long before the access token runs out. */
const REFRESH_MARGIN_MS = 30_000;

/** Logs in and holds the session; requests made through the client carry its access token. */
export class AuthClient {
  private current?: Session;

  constructor(private readonly fetch: KeygateFetch) {}

  get session(): Session | undefined {
    return this.current;
  }

  async login(credentials: { email: string; password: string }): Promise<Session> {
    const data = await this.fetch.graphql(SdkLoginDocument, credentials);
    return this.hold(data.login);
  }

  /** Exchanges the refresh token for a new session (the old refresh token stops working). */
  async refresh(): Promise<Session> {
    if (!this.current) throw new KeygateError('Not logged in', 'UNAUTHENTICATED');
    const data = await this.fetch.graphql(SdkRefreshDocument, { refreshToken: this.current.refresh_token });
    return this.hold(data.refreshToken);
  }

  async logout(): Promise<void> {
    const session = this.current;
    this.current = undefined;
    this.fetch.setAccessToken(undefined);
    if (session) await this.fetch.graphql(SdkLogoutDocument, { refreshToken: session.refresh_token });
  }

  /** Renews the session if its access token is about to expire. */
  async ensureFresh(): Promise<void> {
    if (this.current && this.current.expires_at - Date.now() < REFRESH_MARGIN_MS) await this.refresh();
  }

  private hold(payload: SdkSessionFragment): Session {
    this.current = {
      access_token: payload.accessToken,
      refresh_token: payload.refreshToken,
      expires_in: payload.expiresIn,
      expires_at: Date.now() + payload.expiresIn * 1000,
      user: payload.user,
    };
    this.fetch.setAccessToken(payload.accessToken, payload.user.id);
    return this.current;
  }
}
