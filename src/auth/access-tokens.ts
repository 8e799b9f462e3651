import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { UnauthenticatedError } from '../errors/app-errors';
import { UserRole } from '../identity/user-role';

const ISSUER = 'keygate';
const AUDIENCE = 'keygate:access';
export const SESSION_ENDED = 'Session has ended: log in again';

export interface AccessClaims {
  userId: string;
  /** The role when issued: informative only, authority is read from the user's current state. */
  role: UserRole;
  /** The user's token version when issued; a password change or "log out everywhere" moves it on. */
  tokenVersion: number;
  /** The session (refresh token family) it was issued for: ending that session ends the token. */
  sessionId: string;
}

/** Short-lived HS256 access tokens: verified without a database query on every request. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ role: claims.role, ver: claims.tokenVersion, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlSeconds)
      .sign(this.key);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const role = payload.role;
      // Tokens issued before versions existed carry none: they belong to version 0.
      const version = payload.ver ?? 0;
      if (typeof payload.sub !== 'string' || (role !== UserRole.ADMIN && role !== UserRole.MEMBER) || !Number.isSafeInteger(version)) {
        throw new UnauthenticatedError('Invalid access token');
      }
      // Tokens from before sessions were named cannot be checked against logout: the client refreshes.
      if (typeof payload.sid !== 'string') throw new UnauthenticatedError(SESSION_ENDED);
      return { userId: payload.sub, role, tokenVersion: version as number, sessionId: payload.sid };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('Access token expired');
      if (err instanceof UnauthenticatedError) throw err;
      throw new UnauthenticatedError('Invalid access token');
    }
  }
}
