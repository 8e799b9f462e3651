import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { KeygateError } from '@keygate/sdk';
import { startTestApp, type TestApp } from '../support/test-app';
import { compile, type Consumer, installPackedSdk } from './packed-sdk';
import * as examples from './seed-examples';
import { redirectSeedUrl, SEED_URL } from './seed-url';

/**
 * How a consumer may set up TypeScript: each variant is a folder with its own package.json
 * type, compiled under strict and then run by node (ESM or CommonJS).
 */
const VARIANTS = [
  { name: 'nodenext, ES module', type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'nodenext, CommonJS', type: 'commonjs', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'node16, CommonJS', type: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'bundler, ES module', type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
] as const;

/**
 * The seed's examples run unchanged against a live Keygate, as the seed's user. Their URL,
 * http://localhost:8080, is sent to the test's Keygate on a free port: `npm test` must pass while
 * `npm start` serves 8080.
 */
describe('the seed ClientKeysManager examples', () => {
  let t: TestApp;
  let log: jest.SpyInstance;
  let redirect: ReturnType<typeof redirectSeedUrl>;
  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL: 'user@example.com', ADMIN_PASSWORD: 'password' } });
    redirect = redirectSeedUrl(t.url);
  });
  beforeEach(() => {
    // The create example prints the new secret; keep it out of the test output.
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());
  afterAll(async () => {
    redirect?.restore();
    await t?.close();
  });

  it('run in order: log in, create, list, get, update, revoke, delete', async () => {
    const client = await examples.overviewExample();
    expect(client.auth.session?.user.email).toBe('user@example.com');
    // The examples called the seed's URL, and the test's Keygate answered.
    expect(fs.readFileSync(path.join(__dirname, 'seed-examples.ts'), 'utf8')).toContain(`createClient({ url: '${SEED_URL}' })`);
    expect(redirect.redirected()).toBeGreaterThan(0);

    const created = await examples.createExample(client);
    expect(created).toMatchObject({
      name: 'Production Service',
      description: 'Client key for production service',
      scopes: ['read:users', 'write:users'],
      rate_limit_per_minute: 100,
      expires_at: '2099-12-31T23:59:59.000Z',
    });
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

  describe('from the packed @keygate/sdk, as a consumer installs it', () => {
    let consumer: Consumer;
    beforeAll(() => {
      consumer = installPackedSdk();
    }, 180_000);
    afterAll(() => consumer?.remove());

    it('holds only the built package, and installs at most 3 packages besides itself, with no warning', () => {
      expect(consumer.packedFiles).toEqual(
        expect.arrayContaining(['package.json', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts']),
      );
      expect(consumer.packedFiles.filter((f) => !/^(package\.json|README\.md|dist\/(esm|cjs)\/.+\.(js|d\.ts|json))$/.test(f))).toEqual([]);
      expect(consumer.installedBesidesSdk.length).toBeLessThanOrEqual(3);
      // A `prepare` script would make npm 11 warn every consumer of an install script to approve.
      expect(consumer.installWarnings).toEqual([]);
    });

    it.each(VARIANTS)(
      'compile under strict and run: $name',
      async ({ name, type, compilerOptions }) => {
        const dir = path.join(consumer.dir, name.replace(/\W+/g, '-'));
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type }));
        for (const file of ['seed-examples.ts', 'run-seed-examples.ts']) fs.copyFileSync(path.join(__dirname, file), path.join(dir, path.basename(file)));
        const tsconfig = {
          compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], outDir: 'out', ...compilerOptions },
          files: ['run-seed-examples.ts'],
        };
        fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));

        const { status, output } = compile(path.join(dir, 'tsconfig.json'));
        expect(output).toBe('');
        expect(status).toBe(0);
        fs.writeFileSync(path.join(dir, 'out/package.json'), JSON.stringify({ type }));
        // Asynchronously: the Keygate it calls runs in this process.
        const run = await promisify(execFile)(
          process.execPath,
          ['--require', path.join(__dirname, 'redirect-seed-url.cjs'), path.join(dir, 'out/run-seed-examples.js')],
          {
            cwd: dir,
            env: { ...process.env, KEYGATE_TEST_URL: t.url },
            encoding: 'utf8',
            timeout: 60_000,
          },
        );
        expect(run.stderr).toBe('');
        expect(run.stdout).toContain('Client key deleted');
        expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ ran: 'all', name: 'Updated Name', rate_limit_per_minute: 200 });
      },
      120_000,
    );
  });
});
