import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL } from '../support/graphql-client';
import { cleanEnv, freePort, REPO_ROOT, startKeygate } from '../support/spawn-keygate';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { email role } } }`;
const PRINTED = /email:\s+(\S+)\s+password:\s+(\S+)/;

/** Holds a port the way another server would, until released. */
async function holdPort(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', resolve);
  });
  return server;
}

/**
 * The generated admin's password is shown once: it must be shown when the server can be used. A
 * first start that fails (its port taken) prints none and creates none; the next start does both.
 */
describe('the first start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-first-run-'));
  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  }, 180_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints no password when the port is taken, then prints one that works once the port is free', async () => {
    const port = await freePort();
    const taken = await holdPort(port);
    let failed;
    try {
      failed = spawnSync(process.execPath, ['dist/src/main.js'], {
        cwd: REPO_ROOT,
        env: cleanEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' }),
        encoding: 'utf8',
        timeout: 120_000,
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('Keygate could not start');
    expect(failed.stdout).not.toMatch(PRINTED);
    expect(failed.stdout).not.toContain('not shown again');

    const keygate = await startKeygate([process.execPath, 'dist/src/main.js'], { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    try {
      const printed = PRINTED.exec(keygate.stdout());
      expect(printed).not.toBeNull();
      const [, email, password] = printed!;
      expect(email).toBe('admin@keygate.local');
      const login = await postGraphQL(keygate.url, LOGIN, { e: email, p: password });
      expect(login.data.login.user).toEqual({ email, role: 'ADMIN' });
      expect(await keygate.stop('SIGTERM')).toBe(0);
    } finally {
      keygate.kill();
    }
  }, 240_000);
});
