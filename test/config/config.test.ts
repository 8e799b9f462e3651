import { ConfigError, loadConfig } from '../../src/config/config';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      nodeEnv: 'development',
      logLevel: 'info',
      bcryptCost: 12,
      databaseUrl: undefined,
      redisUrl: undefined,
      admin: undefined,
    });
    expect(config.dataDir).toMatch(/\.keygate$/);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ BCRYPT_COST: '4' }, 'BCRYPT_COST'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ ADMIN_EMAIL: 'root@example.com' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_PASSWORD: 'long-enough-password' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long-enough-password' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
  ])('refuses %j in one line naming %s', (env, name) => {
    const message = failure(env);
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it.each([
    [{ REDIS_URL: 'localhost:6379' }, 'Invalid configuration: REDIS_URL must use redis: or rediss:, as in redis://host:port (got "localhost:6379")'],
    [
      { DATABASE_URL: 'mysql://x@y/z' },
      'Invalid configuration: DATABASE_URL must use postgres: or postgresql:, as in postgres://host:port (got "mysql://x@y/z")',
    ],
    [{ PORT: 'eighty' }, 'Invalid configuration: PORT must be an integer from 0 to 65535 (got "eighty")'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ DB_POOL_SIZE: '1' }, 'Invalid configuration: DB_POOL_SIZE must be an integer from 2 to 1000 (got "1")'],
    [{ PLAYGROUND: 'yes' }, 'Invalid configuration: PLAYGROUND must be true or false (got "yes")'],
  ])('quotes the value as written: %j', (env, message) => {
    expect(failure(env)).toBe(message);
  });

  it('never quotes a secret: a URL shows no password, a secret only its length', () => {
    const url = failure({ DATABASE_URL: 'mysql://keygate:s3cret-pw@db:5432/keygate' });
    expect(url).toContain('(got "mysql://keygate:***@db:5432/keygate")');
    expect(url).not.toContain('s3cret-pw');
    const unparsed = failure({ REDIS_URL: 'redis://:s3cret@cache:port' });
    expect(unparsed).toContain('(got "redis://:***@cache:port")');
    expect(unparsed).not.toContain('s3cret');
    const secret = failure({ JWT_SECRET: 'too-short-s3cret' });
    expect(secret).toBe('Invalid configuration: JWT_SECRET must be at least 32 characters (got 16 characters)');
    expect(failure({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'pw12' })).not.toContain('pw12');
  });

  it('takes DB_POOL_SIZE, 10 by default', () => {
    expect(loadConfig({}).dbPoolSize).toBe(10);
    expect(loadConfig({ DB_POOL_SIZE: '4' }).dbPoolSize).toBe(4);
  });

  it('takes REDIS_TIMEOUT_MS, 50 by default, and refuses a value that is not a positive integer', () => {
    expect(loadConfig({}).redisTimeoutMs).toBe(50);
    expect(loadConfig({ REDIS_TIMEOUT_MS: '120' }).redisTimeoutMs).toBe(120);
    expect(() => loadConfig({ REDIS_TIMEOUT_MS: '0' })).toThrow(/^Invalid configuration: REDIS_TIMEOUT_MS must be an integer from 1 to 10000/);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://u@db:5432/keygate',
      REDIS_URL: 'redis://cache:6379',
      ADMIN_EMAIL: 'Root@Example.com',
      ADMIN_PASSWORD: 'password',
      PORT: '9000',
    });
    expect(config).toMatchObject({ nodeEnv: 'production', port: 9000, admin: { email: 'Root@Example.com', password: 'password' } });
  });
});
