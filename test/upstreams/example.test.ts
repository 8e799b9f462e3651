import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitOf, freePort, REPO_ROOT } from '../support/spawn-keygate';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

/** docs/gateway.md, "Put Keygate in front of your GraphQL API", step by step, with the shipped example. */
describe('examples/product-catalogue', () => {
  let upstream: ChildProcess;
  let upstreamOut = '';
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    const upstreamPort = await freePort();
    const keygatePort = await freePort();
    upstream = spawn('node', ['examples/product-catalogue/server.mjs'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(upstreamPort), KEYGATE_URL: `http://127.0.0.1:${keygatePort}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    upstream.stdout!.on('data', (c) => (upstreamOut += c));
    await new Promise<void>((resolve, reject) => {
      upstream.stdout!.on('data', () => upstreamOut.includes('product catalogue on') && resolve());
      upstream.once('exit', (code) => reject(new Error(`example upstream exited with ${code}`)));
    });
    // The shipped config, pointed at this run's port.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-example-'));
    const config = fs
      .readFileSync(path.join(REPO_ROOT, 'examples/product-catalogue/keygate.yaml'), 'utf8')
      .replace('127.0.0.1:4001', `127.0.0.1:${upstreamPort}`);
    fs.writeFileSync(path.join(dir, 'keygate.yaml'), config);
    t = await startTestApp({ env: { KEYGATE_CONFIG: path.join(dir, 'keygate.yaml'), PORT: String(keygatePort) } });
  });
  afterAll(async () => {
    await t?.close();
    if (upstream && upstream.exitCode === null) {
      const exited = exitOf(upstream);
      upstream.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets a key read products through Keygate, refuses it the cost, and the upstream verifies who called', async () => {
    const admin = await t.login();
    const key = await issueKey(t, admin, { scopes: ['read:products'] });
    const products = await t.gql('{ products { name price } }', {}, { key: key.key });
    expect(products.errors).toBeUndefined();
    expect(products.data.products.map((p: { name: string }) => p.name)).toEqual(['Kettle', 'Teapot', 'Mug']);

    const costs = await t.gql('{ products { name cost } }', {}, { key: key.key });
    expect(costs.errors![0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['read:costs']] });
    expect(costs.data.products[0]).toEqual({ name: 'Kettle', cost: null });

    const lines = upstreamOut.split('\n').filter((l) => l.startsWith('[catalogue]'));
    expect(lines.at(-1)).toContain(`CLIENT_KEY ${key.id} (scopes: read:products)`);
    expect(lines.at(-1)).not.toContain('cost');
  });
});
