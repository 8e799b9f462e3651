import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { randomToken, sha256 } from '../common/secrets';
import { UnauthenticatedError } from '../errors/app-errors';
import type { User } from '../users/user.entity';
import { transactionQuery } from '../users/transaction-query';
import type { UserStates } from '../users/user-states';
import type { UserStatePublisher, UsersService } from '../users/users.service';
import type { AccessTokens } from './access-tokens';
import type { LoginThrottle } from './login-throttle';
import type { PasswordHasher } from '../users/passwords';
import { RefreshToken } from './refresh-token.entity';
import type { SessionStates } from './session-states';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

/** Tells every instance, in `em`'s transaction (so on commit), that these sessions have ended. */
export type SessionEndPublisher = (em: EntityManager, sessionIds: string[]) => Promise<void>;

const REFRESH_PREFIX = 'kgr_';
/** One message for an unknown email and a wrong password, so neither can be told apart. */
const BAD_CREDENTIALS = 'Invalid email or password';

export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly throttle: LoginThrottle,
    private readonly refreshTtlSeconds: number,
    private readonly states: UserStates,
    private readonly publishState: UserStatePublisher = async () => undefined,
    private readonly sessions: SessionStates,
    private readonly publishSessionEnd: SessionEndPublisher = async () => undefined,
  ) {}

  async login(emailInput: string, password: string, ip: string): Promise<Session> {
    const email = emailInput.trim().toLowerCase();
    // Reserves this attempt against the email before the password is checked: concurrent
    // guesses cannot all slip in under the limit.
    await this.throttle.beforeAttempt(ip, email);
    const user = email.length <= 254 ? await this.users.findByEmail(email) : null;
    // bcrypt reads only 72 bytes: a longer password must not match on its prefix.
    const candidate = Buffer.byteLength(password, 'utf8') > 72 ? '' : password;
    const ok = await this.passwords.verify(candidate, user?.passwordHash);
    if (!ok || !user) throw new UnauthenticatedError(BAD_CREDENTIALS);
    await this.throttle.onSuccess(email);
    return this.openSession(user, randomUUID());
  }

  /** Rotates the refresh token. Presenting an already-used one revokes its whole family (token theft). */
  async refresh(token: string): Promise<Session> {
    const invalid = new UnauthenticatedError('Invalid or expired refresh token');
    if (!token.startsWith(REFRESH_PREFIX)) throw invalid;
    const repo = this.db.getRepository(RefreshToken);
    const stored = await repo.findOneBy({ tokenHash: sha256(token) });
    if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) throw invalid;
    const claimed = await repo.update({ id: stored.id, usedAt: IsNull() }, { usedAt: new Date() });
    if (!claimed.affected) {
      // Whoever holds the copy also holds the session's access tokens: they end with it.
      await this.endSession(stored.familyId);
      throw invalid;
    }
    const user = await this.users.getById(stored.userId).catch(() => {
      throw invalid;
    });
    return this.openSession(user, stored.familyId);
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored: logout always succeeds. */
  async logout(token: string): Promise<void> {
    const stored = await this.db.getRepository(RefreshToken).findOneBy({ tokenHash: sha256(token) });
    if (stored) await this.endSession(stored.familyId);
  }

  /** Revokes the session's refresh tokens; its access tokens stop on every instance within a second. */
  private async endSession(familyId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.getRepository(RefreshToken).update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.publishSessionEnd(em, [familyId]);
    });
    // This instance forgets at once; the others when the NOTIFY arrives.
    this.sessions.invalidate([familyId]);
  }

  /**
   * Ends every session of the user: their refresh tokens stop working, and so do their access
   * tokens, on every instance within a second (the token version moves on and a NOTIFY says so).
   */
  async logoutEverywhere(userId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.getRepository(RefreshToken).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
      await transactionQuery(em, 'UPDATE users SET token_version = token_version + 1 WHERE id = $1', [userId]);
      await this.publishState(em, userId);
    });
    this.states.invalidate(userId);
  }

  private async openSession(user: User, familyId: string): Promise<Session> {
    const refreshToken = REFRESH_PREFIX + randomToken(32);
    await this.db.getRepository(RefreshToken).insert({
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.refreshTtlSeconds * 1000),
    });
    const accessToken = await this.accessTokens.sign({ userId: user.id, role: user.role, tokenVersion: user.tokenVersion, sessionId: familyId });
    // The requests this session makes next find their user's authority and their session cached.
    await Promise.all([this.states.warm(user.id), this.sessions.warm(familyId)]);
    return { accessToken, refreshToken, expiresIn: this.accessTokens.ttlSeconds, user };
  }
}
