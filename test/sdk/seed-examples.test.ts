import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { KeygateError } from 'keygate/sdk';
import { startTestApp, type TestApp } from '../support/test-app';
import * as examples from './seed-examples';

/** The seed's examples run unchanged against a live Keygate on the seed's URL, as the seed's user. */
describe('the seed ClientKeysManager examples', () => {
  let t: TestApp;
  let log: jest.SpyInstance;
  beforeAll(async () => {
    t = await startTestApp({ env: { PORT: '8080', ADMIN_EMAIL: 'user@example.com', ADMIN_PASSWORD: 'password' } }).catch((err) => {
      throw new Error(`The seed examples need port 8080 free (their URL is http://localhost:8080): ${err.message}`);
    });
  });
  beforeEach(() => {
    // The create example prints the new secret; keep it out of the test output.
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());
  afterAll(() => t.close());

  it('compile under strict TypeScript', () => {
    const tsc = path.join(__dirname, '../../node_modules/.bin/tsc');
    const run = spawnSync(tsc, ['-p', path.join(__dirname, 'tsconfig.examples.json')], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);

  it('run in order: log in, create, list, get, update, revoke, delete', async () => {
    const client = await examples.overviewExample();
    expect(client.auth.session?.user.email).toBe('user@example.com');

    const created = await examples.createExample(client);
    expect(created).toMatchObject({ name: 'Production Service', description: 'Client key for production service', scopes: ['read:users', 'write:users'], rate_limit_per_minute: 100, expires_at: '2099-12-31T23:59:59.000Z' });
    const [label, secret] = log.mock.calls[0];
    expect(label).toBe('Client Key:');
    expect(secret).toMatch(/^kg_/);
    expect(created.key_prefix).toBe(secret.slice(0, 11));

    const total = await examples.listExample(client);
    expect(total).toBe(2);
    expect(log.mock.calls.slice(1).map((c) => c[0])).toEqual([
      `Production Service: ${created.key_prefix}... (expires: 2099-12-31T23:59:59.000Z)`,
      expect.stringMatching(/^Production Service: kg_\w{8}\.\.\. \(expires: null\)$/),
    ]);

    log.mockClear();
    await examples.getExample(client, created.id);
    expect(log).toHaveBeenCalledWith('Last used:', null);

    const updated = await examples.updateExample(client, created.id);
    expect(updated).toMatchObject({ id: created.id, name: 'Updated Name', rate_limit_per_minute: 200 });

    log.mockClear();
    await examples.revokeExample(client, created.id);
    expect(log).toHaveBeenCalledWith('Client key revoked');
    await expect(client.management.clientKeys.revoke(created.id)).resolves.toEqual({ message: 'Client key revoked' });
    expect((await client.management.clientKeys.get(created.id)).revoked_at).toEqual(expect.any(String));

    log.mockClear();
    await examples.deleteExample(client, created.id);
    expect(log).toHaveBeenCalledWith('Client key deleted');
    const missing = await client.management.clientKeys.get(created.id).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(KeygateError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
  });
});
