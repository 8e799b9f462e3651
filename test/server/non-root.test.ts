import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL } from '../support/graphql-client';
import { REPO_ROOT, startKeygate } from '../support/spawn-keygate';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { email role } } }`;
// The image runs as an unprivileged user; `nobody` stands in for it here.
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/**
 * The container's case: the built server, started by a user who may not create users, with the
 * embedded PostgreSQL (no DATABASE_URL) in a DATA_DIR that user owns. Switching to that user
 * takes root, which CI has.
 */
describe('the built server as a non-root user', () => {
  if (!asRoot) {
    it.skip('starts with the embedded PostgreSQL as nobody (skipped: switching to nobody needs the tests to run as root)', () => {});
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-non-root-'));
  beforeAll(() => {
    fs.chownSync(dataDir, NOBODY, NOBODY);
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  }, 180_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts as nobody with the embedded PostgreSQL, is ready, and the printed admin can log in', async () => {
    const command = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, 'dist/src/main.js'];
    const keygate = await startKeygate(command, { DATA_DIR: dataDir, LOG_LEVEL: 'info', HOME: dataDir });
    try {
      const whoami = spawnSync('ps', ['-o', 'uid=', '-p', String(keygate.child.pid)], { encoding: 'utf8' });
      expect(Number(whoami.stdout.trim())).toBe(NOBODY);
      expect((await fetch(`${keygate.url}/readyz`)).status).toBe(200);
      const [, email, password] = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(keygate.stdout()) ?? [];
      const login = await postGraphQL(keygate.url, LOGIN, { e: email, p: password });
      expect(login.data.login.user).toEqual({ email: 'admin@keygate.local', role: 'ADMIN' });
      // PostgreSQL's files belong to nobody too: nothing was handed to a `postgres` user.
      expect(fs.statSync(path.join(dataDir, 'postgres', 'PG_VERSION')).uid).toBe(NOBODY);
      expect(await keygate.stop('SIGTERM')).toBe(0);
    } finally {
      keygate.kill();
    }
  }, 240_000);
});
