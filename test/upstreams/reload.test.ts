import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL } from '../support/graphql-client';
import { cleanEnv, exitOf, REPO_ROOT, type RunningKeygate, startKeygate } from '../support/spawn-keygate';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { type FakeUpstream, INVENTORY_SDL, inventoryRoot, REVIEWS_SDL, reviewsRoot, startFakeUpstream } from './support/fake-upstream';
import { until } from '../support/wait';

/** The real process: KEYGATE_CONFIG read at start, re-read on SIGHUP. */
const ADMIN = { email: 'reload-admin@example.com', password: 'reload-password-1' };

let db: TestDatabase;
let inventory: FakeUpstream;
let reviews: FakeUpstream;
let dir: string;
let configFile: string;

const inventoryConfig = () => `
scopes:
  read:products: Read the product catalogue
upstreams:
  - name: inventory
    url: ${inventory.url}
    policies:
      Query.products: [["read:products"]]
      Query.product: [["read:products"]]
      Query.status: public
      Query.failing: public
      Mutation.createProduct: [["read:products"]]
`;
const reviewsConfig = () => `
upstreams:
  - name: reviews
    url: ${reviews.url}
    schemaFile: reviews.graphql
`;

function env(): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    KEYGATE_CONFIG: configFile,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    BCRYPT_COST: '10',
    LOG_LEVEL: 'info',
  };
}

beforeAll(async () => {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  db = await createTestDatabase();
  inventory = await startFakeUpstream(INVENTORY_SDL, inventoryRoot());
  reviews = await startFakeUpstream(REVIEWS_SDL, reviewsRoot());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-reload-'));
  fs.writeFileSync(path.join(dir, 'reviews.graphql'), REVIEWS_SDL);
  configFile = path.join(dir, 'keygate.yaml');
}, 120_000);

afterAll(async () => {
  await inventory?.close();
  await reviews?.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('refuses to start on a bad KEYGATE_CONFIG with one line and exit code 1', async () => {
  fs.writeFileSync(configFile, inventoryConfig().replace('      Query.status: public\n', ''));
  // Not spawnSync: the upstream it introspects runs in this process and must keep answering.
  const child = spawn('node', ['dist/src/main.js'], { cwd: REPO_ROOT, env: cleanEnv({ ...env(), PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  child.stdout.resume();
  expect(await exitOf(child)).toBe(1);
  expect(stderr.trim().split('\n')).toEqual([
    'Invalid gateway configuration: upstream "inventory": no policy for Query.status (default deny: give each a policy in the config or @public/@authenticated/@requiresScopes in its SDL)',
  ]);
}, 90_000);

describe('SIGHUP', () => {
  let keygate: RunningKeygate | undefined;
  afterAll(async () => {
    if (keygate) await keygate.stop('SIGTERM');
  });

  it('swaps in a new config; in-flight requests finish on their schema; a bad config keeps the running one', async () => {
    fs.writeFileSync(configFile, inventoryConfig());
    keygate = await startKeygate(['node', 'dist/src/main.js'], env());
    const url = keygate.url;
    const login = await postGraphQL(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
      e: ADMIN.email,
      p: ADMIN.password,
    });
    const auth = { authorization: `Bearer ${login.data.login.accessToken}` };

    expect((await postGraphQL(url, '{ status }')).data).toEqual({ status: 'ok' });
    expect((await postGraphQL(url, '{ reviewCount }')).code).toBe('GRAPHQL_VALIDATION_FAILED');

    // A request still waiting on the inventory when the config that drops the inventory arrives.
    inventory.delayMs = 1500;
    const sentBefore = inventory.received.length;
    const inFlight = postGraphQL(url, '{ product(id: "p1") { name } }', {}, auth);
    await until('the in-flight request to reach the upstream', () => inventory.received.length > sentBefore, 20_000);
    fs.writeFileSync(configFile, reviewsConfig());
    process.kill(keygate.child.pid!, 'SIGHUP');
    await until('the new config to serve', async () => (await postGraphQL(url, '{ reviewCount }')).data?.reviewCount === 1, 20_000);
    inventory.delayMs = 0;
    const finished = await inFlight;
    expect(finished.errors).toBeUndefined();
    expect(finished.data).toEqual({ product: { name: 'Kettle' } });
    expect((await postGraphQL(url, '{ status }')).code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(keygate.stdout()).toContain('KEYGATE_CONFIG reloaded');
    // Error messages may name what the new schema defines (the client's own text stays out).
    const unknown = await postGraphQL(url, '{ reviews(productId: "p1") { nope } }', {}, auth);
    expect(unknown.errors![0].message).toContain('"Review"');
    expect(unknown.errors![0].message).not.toContain('nope');

    // A broken config: logged, and the running one keeps serving.
    fs.writeFileSync(configFile, reviewsConfig().replace('schemaFile: reviews.graphql', 'schemaFile: missing.graphql'));
    process.kill(keygate.child.pid!, 'SIGHUP');
    await until('the refused reload to be logged', () => keygate!.stdout().includes('reload refused'), 20_000);
    const refusal = keygate
      .stdout()
      .split('\n')
      .find((line) => line.includes('reload refused'))!;
    expect(JSON.parse(refusal).msg).toMatch(
      /^KEYGATE_CONFIG reload refused, keeping the running configuration: upstream "reviews": schemaFile .*missing\.graphql cannot be read/,
    );
    expect((await postGraphQL(url, '{ reviewCount }')).data).toEqual({ reviewCount: 1 });
  }, 120_000);
});

describe('SIGHUP during a reload', () => {
  let keygate: RunningKeygate | undefined;
  afterAll(async () => {
    inventory.delayMs = 0;
    if (keygate) await keygate.stop('SIGTERM');
  });

  it('is never lost: one more reload follows, so the file as it stands after the last signal runs (a storm costs one)', async () => {
    fs.writeFileSync(configFile, inventoryConfig());
    keygate = await startKeygate(['node', 'dist/src/main.js'], env());
    const url = keygate.url;
    const reloads = () => keygate!.stdout().split('KEYGATE_CONFIG reloaded').length - 1;
    expect((await postGraphQL(url, '{ status }')).data).toEqual({ status: 'ok' });

    // A reload that introspects a slow inventory: it has read the file before the file changes again.
    inventory.delayMs = 1500;
    const arrivedBefore = inventory.arrived;
    fs.writeFileSync(configFile, inventoryConfig().replace('Query.status: public', 'Query.status: authenticated'));
    process.kill(keygate.child.pid!, 'SIGHUP');
    await until('the reload to introspect the inventory', () => inventory.arrived > arrivedBefore, 20_000);
    // The newer file, then a storm of signals while the first reload still runs.
    fs.writeFileSync(configFile, reviewsConfig());
    for (let i = 0; i < 5; i++) process.kill(keygate.child.pid!, 'SIGHUP');
    inventory.delayMs = 0;

    await until('the newer file to apply', async () => (await postGraphQL(url, '{ reviewCount }')).data?.reviewCount === 1, 20_000);
    expect((await postGraphQL(url, '{ status }')).code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The first reload and one follow-up for all five signals.
    await until('both reloads to be logged', () => reloads() >= 2, 20_000);
    expect(reloads()).toBe(2);
  }, 120_000);
});
