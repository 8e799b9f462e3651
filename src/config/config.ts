import path from 'node:path';
import { z } from 'zod';
import { type ProxyTrust, trustProxySetting } from './trust-proxy';

/** Fails start-up with a single line that names the offending setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const intInRange = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const optionalBoolean = z
  .string()
  .optional()
  .transform((v) => v?.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', ''], { message: 'must be true or false' }).optional())
  .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1'));

const urlWithProtocols = (protocols: string[]) =>
  optionalString.superRefine((v, ctx) => {
    if (v === undefined) return;
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a URL such as ${protocols[0]}//host:port/name` });
      return;
    }
    if (!protocols.includes(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: `must use ${protocols.join(' or ')}, as in ${protocols[0]}//host:port` });
    }
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
    PORT: intInRange(0, 65535, 8080),
    HOST: optionalString.transform((v) => v ?? '0.0.0.0'),
    DATA_DIR: optionalString.transform((v) => path.resolve(v ?? './.keygate')),
    DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']),
    REDIS_URL: urlWithProtocols(['redis:', 'rediss:']),
    JWT_SECRET: optionalString.superRefine((v, ctx) => {
      if (v !== undefined && v.length < 32) {
        ctx.addIssue({ code: 'custom', message: 'must be at least 32 characters' });
      }
    }),
    ADMIN_EMAIL: optionalString.superRefine((v, ctx) => {
      if (v !== undefined && !z.email().safeParse(v).success) {
        ctx.addIssue({ code: 'custom', message: 'must be an email address' });
      }
    }),
    ADMIN_PASSWORD: optionalString.superRefine((v, ctx) => {
      if (v !== undefined && v.length < 8) {
        ctx.addIssue({ code: 'custom', message: 'must be at least 8 characters' });
      }
    }),
    LOG_LEVEL: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v === '' ? 'info' : v.toLowerCase()))
      .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
    BCRYPT_COST: intInRange(10, 15, 12),
    ACCESS_TOKEN_TTL_SECONDS: intInRange(60, 86_400, 900),
    REFRESH_TOKEN_TTL_SECONDS: intInRange(300, 90 * 86_400, 30 * 86_400),
    TRUST_PROXY: trustProxySetting,
    BODY_LIMIT_BYTES: intInRange(1024, 10 * 1024 * 1024, 1024 * 1024),
    KEYGATE_CONFIG: optionalString,
    KEYGATE_ISSUER: optionalString.transform((v) => v ?? 'keygate'),
    // Not trimmed away or echoed: a PEM or JWK secret, validated when the gateway starts.
    IDENTITY_SIGNING_KEY: optionalString,
    USAGE_RETENTION_DAYS: intInRange(1, 3650, 30),
    CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const origins: string[] = [];
        for (const entry of (v ?? '')
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)) {
          const origin = URL.canParse(entry) ? new URL(entry).origin : undefined;
          // Exact origins only: a browser sends `scheme://host[:port]`, never a path or a wildcard.
          if (!origin || origin === 'null' || origin !== entry.replace(/\/$/, '')) {
            ctx.addIssue({ code: 'custom', message: `must list exact origins such as https://app.example.com, comma-separated (got "${entry}")` });
            return z.NEVER;
          }
          origins.push(origin);
        }
        return origins;
      }),
    // Exposure and limits (SECURITY.md): unset booleans take their defaults from NODE_ENV.
    PLAYGROUND: optionalBoolean,
    INTROSPECTION: optionalBoolean,
    METRICS_TOKEN: optionalString.superRefine((v, ctx) => {
      if (v !== undefined && v.length < 16) ctx.addIssue({ code: 'custom', message: 'must be at least 16 characters' });
    }),
    GRAPHQL_MAX_TOKENS: intInRange(100, 100_000, 1000),
    GRAPHQL_MAX_DIRECTIVES: intInRange(1, 1000, 20),
    GRAPHQL_MAX_VARIABLES: intInRange(1, 1000, 25),
    HTTP_HEADERS_TIMEOUT_MS: intInRange(1000, 60_000, 10_000),
    HTTP_REQUEST_TIMEOUT_MS: intInRange(1000, 300_000, 20_000),
    DB_QUERY_TIMEOUT_MS: intInRange(100, 60_000, 3000),
    REDIS_TIMEOUT_MS: intInRange(1, 10_000, 50),
    MAX_OPERATION_COST: intInRange(1, 1_000_000_000, 5000),
    // At least 2: migrations hold an advisory lock on one connection while they run on another.
    DB_POOL_SIZE: intInRange(2, 1000, 10),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      const missing = env.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'must be set together with ADMIN_EMAIL and ADMIN_PASSWORD' });
    }
  });

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  jwtSecret?: string;
  admin?: { email: string; password: string };
  logLevel: (typeof LOG_LEVELS)[number];
  bcryptCost: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Which X-Forwarded-For hops are trusted proxies (config/trust-proxy.ts); false: the socket's address. */
  trustProxy: ProxyTrust;
  bodyLimitBytes: number;
  /** Per-key usage older than this is deleted (minute buckets after 48 hours). */
  usageRetentionDays: number;
  /** Browser origins allowed to call Keygate across origins (CORS); empty: no CORS headers. */
  corsOrigins: string[];
  /** Login attempts allowed per client address per minute, and failed attempts per email per 15 minutes. */
  loginLimits: { perIpPerMinute: number; failuresPerEmail: number };
  /** Operations one upstream answers whole go to it in one request (see upstreams/operation-plan.ts); false only in tests. */
  gatewayPlanning: boolean;
  /** The gateway (upstreams) config file; none: Keygate serves only its own API. */
  gatewayConfigFile?: string;
  /** `iss` of the x-keygate-identity tokens sent to upstreams. */
  identityIssuer: string;
  identitySigningKey?: string;
  /** GET /graphql from a browser serves GraphiQL (default: outside production). */
  playground: boolean;
  /** The schema can be introspected (default: outside production). */
  introspection: boolean;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Per-document limits beyond depth, cost and aliases (see server/query-limits.ts). */
  queryLimits: { maxTokens: number; maxDirectives: number; maxVariables: number };
  /** Slow clients: all headers within headersTimeoutMs, the whole request within requestTimeoutMs. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** A query that has not answered by then fails (a frozen database gives a 503, not a hang). */
  dbQueryTimeoutMs: number;
  /** The longest a request waits for Redis (budgets, login throttling) before counting on this instance alone. */
  redisTimeoutMs: number;
  /** The estimated cost above which a key's operation is refused, unless the key sets its own maxOperationCost. */
  maxOperationCost: number;
  /**
   * Every PostgreSQL connection this instance opens, LISTEN's excepted: requests, the usage writer,
   * migrations (database/connection-budget.ts shares it out; anything new that connects takes its share there).
   */
  dbPoolSize: number;
}

/** Settings whose value is a secret: an error gives only their length. */
const SECRET_SETTINGS = new Set(['JWT_SECRET', 'ADMIN_PASSWORD', 'METRICS_TOKEN', 'IDENTITY_SIGNING_KEY']);

/**
 * The value as the operator wrote it, so that they recognise it (`localhost:6379`, not the
 * `localhost:` a URL parser made of it); a URL's password and a secret's characters stay out.
 */
function quoteSetting(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (SECRET_SETTINGS.has(name)) return `(got ${value.length} characters)`;
  const shown = value.replace(/(\/\/[^/@:\s]*:)[^@\s]*@/, '$1***@');
  return `(got ${JSON.stringify(shown.length > 200 ? `${shown.slice(0, 200)}…` : shown)})`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? 'configuration');
    const given = issue.message.includes('(got ') ? undefined : quoteSetting(name, env[name]);
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${given ? ` ${given}` : ''}`);
  }
  const e = result.data;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    jwtSecret: e.JWT_SECRET,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    logLevel: e.LOG_LEVEL,
    bcryptCost: e.BCRYPT_COST,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    trustProxy: e.TRUST_PROXY,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    usageRetentionDays: e.USAGE_RETENTION_DAYS,
    corsOrigins: e.CORS_ORIGINS,
    loginLimits: { perIpPerMinute: 60, failuresPerEmail: 10 },
    gatewayPlanning: true,
    gatewayConfigFile: e.KEYGATE_CONFIG,
    identityIssuer: e.KEYGATE_ISSUER,
    identitySigningKey: e.IDENTITY_SIGNING_KEY,
    playground: e.PLAYGROUND ?? e.NODE_ENV !== 'production',
    introspection: e.INTROSPECTION ?? e.NODE_ENV !== 'production',
    metricsToken: e.METRICS_TOKEN,
    queryLimits: { maxTokens: e.GRAPHQL_MAX_TOKENS, maxDirectives: e.GRAPHQL_MAX_DIRECTIVES, maxVariables: e.GRAPHQL_MAX_VARIABLES },
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
    dbQueryTimeoutMs: e.DB_QUERY_TIMEOUT_MS,
    redisTimeoutMs: e.REDIS_TIMEOUT_MS,
    maxOperationCost: e.MAX_OPERATION_COST,
    dbPoolSize: e.DB_POOL_SIZE,
  };
}
