import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config';

const ROOT = path.join(__dirname, '../..');
const DEPLOY = path.join(ROOT, 'deploy');

function envFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2];
  }
  return env;
}

/**
 * Docker cannot run here, so what can be checked without it is: the compose file parses and says
 * what docs/operations.md says, the env file names only settings Keygate (or the PostgreSQL image)
 * reads, with values Keygate accepts, and the load balancer routes on /readyz to both instances.
 */
describe('deploy/: two instances behind a load balancer', () => {
  const compose = parse(fs.readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true });
  const keygates = Object.entries<any>(compose.services).filter(([, s]) => s.image === 'keygate:local');

  it('runs two Keygate instances, PostgreSQL, Redis and a load balancer', () => {
    expect(keygates.map(([name]) => name)).toEqual(['keygate-1', 'keygate-2']);
    expect(Object.keys(compose.services).sort()).toEqual(['keygate-1', 'keygate-2', 'lb', 'postgres', 'redis']);
    for (const [, service] of keygates) {
      // The same settings for both, from one file; started once PostgreSQL and Redis are healthy.
      expect(service.env_file).toBe('keygate.env');
      expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
      expect(service.build.context).toBe('..');
      expect(fs.existsSync(path.join(DEPLOY, service.build.context, 'Dockerfile'))).toBe(true);
    }
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(compose.services.redis.healthcheck.test).toContain('ping');
  });

  it('balances over both instances, routing only to those whose /readyz answers', () => {
    const mounted = compose.services.lb.volumes.map((v: string) => v.split(':')[0]);
    expect(mounted).toEqual(['./Caddyfile']);
    const caddyfile = fs.readFileSync(path.join(DEPLOY, 'Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/reverse_proxy keygate-1:8080 keygate-2:8080 \{/);
    expect(caddyfile).toMatch(/^\s*health_uri \/readyz$/m);
  });

  it('shares settings Keygate knows, with values it accepts, and the PostgreSQL password DATABASE_URL uses', () => {
    const env = envFile(path.join(DEPLOY, 'keygate.env.example'));
    const configSource = fs.readFileSync(path.join(ROOT, 'src/config/config.ts'), 'utf8');
    const unknown = Object.keys(env).filter((name) => !name.startsWith('POSTGRES_') && !new RegExp(`^\\s+${name}:`, 'm').test(configSource));
    expect(unknown).toEqual([]);
    for (const shared of ['JWT_SECRET', 'DATABASE_URL', 'REDIS_URL', 'NODE_ENV']) expect(env[shared]).toBeDefined();
    const config = loadConfig(env);
    expect(config).toMatchObject({ nodeEnv: 'production', redisUrl: 'redis://redis:6379', dbPoolSize: 10 });
    const url = new URL(env.DATABASE_URL);
    expect({ user: url.username, password: url.password, db: url.pathname.slice(1) }).toEqual({
      user: env.POSTGRES_USER,
      password: env.POSTGRES_PASSWORD,
      db: env.POSTGRES_DB,
    });
    // The compose file expects the copy the operator makes, and never a committed one.
    expect(fs.existsSync(path.join(DEPLOY, 'keygate.env'))).toBe(false);
  });

  it('runs the image as a non-root user who owns DATA_DIR', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)$/);
    expect(runtime).toMatch(/DATA_DIR=\/data/);
    expect(runtime).toContain(`chown ${user}:${user} /data`);
    expect(runtime.indexOf(`chown ${user}:${user} /data`)).toBeLessThan(runtime.indexOf(`USER ${user}`));
  });
});
