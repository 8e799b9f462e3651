import { SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Principal } from '../identity/principal';
import type { IdentityKey } from './identity-key';

/** Lifetime of a token; SPEC.md allows at most 60 s. */
export const IDENTITY_TOKEN_TTL_SECONDS = 60;
/** A cached token is replaced this long before it expires, so an upstream never receives one about to lapse. */
const RENEW_BEFORE_SECONDS = 15;

interface Cached {
  token: string;
  /** Epoch ms after which a new token is signed. */
  renewAt: number;
  /** The principal's scope set the token was signed for: a change of scopes signs a new one. */
  scopes: ReadonlySet<string>;
  scopeText: string;
}

/**
 * Signs the x-keygate-identity JWT an upstream receives for a signed-in caller, and keeps one per
 * principal and upstream until shortly before it expires: a warm request costs a map lookup.
 */
export class IdentityTokens {
  private readonly cache = new LRUCache<string, Cached>({ max: 50_000 });

  constructor(
    private readonly key: IdentityKey,
    private readonly issuer: string,
  ) {}

  /** Synchronous when a valid token is cached; signs (asynchronously) otherwise. */
  tokenFor(principal: Principal, upstream: string): string | Promise<string> {
    const cacheKey = `${principal.kind}\u0000${principal.id}\u0000${upstream}`;
    const cached = this.cache.get(cacheKey);
    const now = Date.now();
    if (cached && cached.renewAt > now) {
      if (cached.scopes === principal.scopes) return cached.token;
      // Same scopes in a new set object (e.g. a reloaded key): still the same token.
      const scopeText = [...principal.scopes].join(' ');
      if (scopeText === cached.scopeText) {
        cached.scopes = principal.scopes;
        return cached.token;
      }
    }
    return this.sign(principal, upstream, now).then((entry) => {
      this.cache.set(cacheKey, entry);
      return entry.token;
    });
  }

  private async sign(principal: Principal, upstream: string, now: number): Promise<Cached> {
    const iat = Math.floor(now / 1000);
    const scopeText = [...principal.scopes].join(' ');
    const claims: Record<string, unknown> = { keygate_kind: principal.kind, scope: scopeText };
    if (principal.kind === 'CLIENT_KEY') claims.keygate_key_id = principal.id;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(upstream)
      .setSubject(principal.userId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + IDENTITY_TOKEN_TTL_SECONDS)
      .sign(this.key.privateKey);
    return { token, renewAt: (iat + IDENTITY_TOKEN_TTL_SECONDS - RENEW_BEFORE_SECONDS) * 1000, scopes: principal.scopes, scopeText };
  }

  /** The JWKS document published at /.well-known/jwks.json. */
  jwks(): { keys: object[] } {
    return { keys: [this.key.publicJwk] };
  }
}
