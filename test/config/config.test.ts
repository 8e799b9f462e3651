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
