import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL } from '../support/graphql-client';
import { cleanEnv, REPO_ROOT, startKeygate } from '../support/spawn-keygate';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { email role } } }`;

/**
 * The real `npm start` path: no DATABASE_URL, so Keygate starts its embedded PostgreSQL
 * in DATA_DIR (as root in CI), migrates it and serves. A second start reuses the data.
 */
describe('npm start with the embedded PostgreSQL', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts on a fresh DATA_DIR, prints a generated admin password once, keeps data across restarts and stops cleanly', async () => {
    const first = await startKeygate(['npm', 'start', '--silent'], { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    let secondRun;
    try {
      const printed = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(first.stdout());
      expect(printed).not.toBeNull();
      const [, email, password] = printed!;
      const admin = await postGraphQL(first.url, LOGIN, { e: email, p: password });
      expect(admin.data.login.user).toEqual({ email, role: 'ADMIN' });

      // A second Keygate on the same DATA_DIR says why it cannot start, on one line, even when silent.
      const second = spawnSync('node', ['dist/src/main.js'], {
        cwd: REPO_ROOT,
        env: cleanEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' }),
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([
        `Keygate could not start: another Keygate is using DATA_DIR's PostgreSQL (${path.join(dataDir, 'postgres', 'postmaster.pid')}); stop it or choose another DATA_DIR`,
      ]);
      // On a terminal (`script` gives it one) the log lines are human-readable, not JSON.
      const onTerminal = spawnSync('script', ['-qec', 'node dist/src/main.js', '/dev/null'], {
        cwd: REPO_ROOT,
        env: cleanEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'debug', PORT: '0' }),
        encoding: 'utf8',
        timeout: 90_000,
      });
      const terminalLines = onTerminal.stdout.split(/\r?\n/).filter((line) => line.trim() !== '');
      expect(terminalLines.some((line) => /DEBUG.*start-up failed/.test(line))).toBe(true);
      expect(terminalLines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
      expect(terminalLines.at(-1)).toContain('Keygate could not start: another Keygate is using');

      const created = await postGraphQL(
        first.url,
        `mutation { createUser(input: { email: "kept@example.com", password: "kept-password" }) { id } }`,
        {},
        { authorization: `Bearer ${admin.data.login.accessToken}` },
      );
      expect(created.data.createUser.id).toEqual(expect.any(String));
      expect(first.stdout()).not.toContain('kept-password');
      await first.stop('SIGTERM');
      // npm itself dies of the signal; Keygate's own clean exit shows in its log.
      expect(first.stdout()).toContain('stopped cleanly');

      secondRun = await startKeygate(['node', 'dist/src/main.js'], { DATA_DIR: dataDir, ADMIN_EMAIL: 'user@example.com', ADMIN_PASSWORD: 'password' });
      expect(secondRun.stdout()).not.toContain('password:');
      const kept = await postGraphQL(secondRun.url, LOGIN, { e: 'kept@example.com', p: 'kept-password' });
      expect(kept.data.login.user.email).toBe('kept@example.com');
      const configured = await postGraphQL(secondRun.url, LOGIN, { e: 'user@example.com', p: 'password' });
      expect(configured.data.login.user.role).toBe('ADMIN');
      expect(await secondRun.stop('SIGINT')).toBe(0);
      expect(secondRun.stdout()).toContain('stopped cleanly');
    } finally {
      first.kill();
      secondRun?.kill();
    }
  }, 240_000);

  it('refuses a bad setting with one line naming it and a non-zero exit', () => {
    const run = spawnSync('node', ['dist/src/main.js'], { cwd: REPO_ROOT, env: cleanEnv({ PORT: 'abc', DATA_DIR: dataDir }), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('PORT')]);
    const prod = spawnSync('node', ['dist/src/main.js'], { cwd: REPO_ROOT, env: cleanEnv({ NODE_ENV: 'production', DATA_DIR: dataDir }), encoding: 'utf8' });
    expect(prod.status).toBe(1);
    expect(prod.stderr.trim()).toBe('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  });
});
