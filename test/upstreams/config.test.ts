import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { createLogger } from '../../src/logging/logger';
import { buildKeygateSchema } from '../../src/schema/build-schema';
import { GatewayConfigError, loadGatewayConfig, parseGatewayConfig } from '../../src/upstreams/gateway-config';
import { ScopeCatalog } from '../../src/scopes/scope-catalog';
import { UpstreamGateway } from '../../src/upstreams/upstream-gateway';
import { freePort } from '../support/spawn-keygate';
import { type FakeUpstream, INVENTORY_SDL, inventoryRoot, startFakeUpstream } from './support/fake-upstream';

const FILE = '/etc/keygate/keygate.yaml';

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseGatewayConfig(text, FILE, env);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('KEYGATE_CONFIG validation', () => {
  it("reads the SPEC's YAML example: defaults, ${ENV} in headers, schemaFile relative to the file", () => {
    const config = parseGatewayConfig(
      `
scopes:
  read:products: Read the product catalogue
roles:
  member: [read:products]
upstreams:
  - name: inventory
    url: http://127.0.0.1:4001/graphql
    schemaFile: ./inventory.graphql
    headers:
      X-Api-Token: \${INVENTORY_TOKEN}
    policies:
      Query.products: [["read:products"]]
      Query.status: public
      Query.me: authenticated
`,
      FILE,
      { INVENTORY_TOKEN: 'tok' },
    );
    expect(config.scopes).toEqual({ 'read:products': 'Read the product catalogue' });
    expect(config.roles).toEqual({ member: ['read:products'] });
    expect(config.upstreams).toEqual([
      {
        name: 'inventory',
        url: 'http://127.0.0.1:4001/graphql',
        schemaFile: '/etc/keygate/inventory.graphql',
        timeoutMs: 10_000,
        headers: { 'x-api-token': 'tok' },
        policies: { 'Query.products': [['read:products']], 'Query.status': 'public', 'Query.me': 'authenticated' },
        costs: {},
        exposeExtensions: [],
      },
    ]);
  });

  it('reads the same config written as JSON', () => {
    const config = parseGatewayConfig(
      JSON.stringify({ upstreams: [{ name: 'a', url: 'https://a.example/graphql', timeoutMs: 500, policies: { 'Query.x': 'public' } }] }),
      FILE,
      {},
    );
    expect(config.upstreams[0]).toMatchObject({ name: 'a', timeoutMs: 500, policies: { 'Query.x': 'public' } });
  });

  it.each([
    ['upstreams:\n  - name: Inventory\n    url: http://x/graphql', 'upstreams[0].name must match [a-z][a-z0-9-]*'],
    ['upstreams:\n  - name: inventory\n    url: ftp://x/graphql', 'upstreams[0].url must be an http:// or https:// URL'],
    ['upstreams:\n  - name: inventory\n    url: http://x/graphql\n    timeoutMs: -5', 'upstreams[0].timeoutMs'],
    [
      'upstreams:\n  - name: inventory\n    url: http://x/graphql\n    policies:\n      Query.products: everyone',
      'upstreams[0].policies["Query.products"] must be "public", "authenticated" or a list of scope lists',
    ],
    ['upstreams:\n  - name: inventory\n    url: http://x/graphql\n    policies:\n      products: public', 'upstreams[0].policies.products'],
    ['upstreams:\n  - name: inventory\n    url: http://x/graphql\n    urll: http://y', 'upstreams[0] Unrecognized key: "urll"'],
    ['upstreams:\n  - name: a\n    url: http://x/graphql\n  - name: a\n    url: http://y/graphql', 'upstreams[1].name "a" is used by another upstream'],
    ['scopes:\n  read:x: X\nroles:\n  member: [read:y]', 'roles.member[0] "read:y" is not declared under scopes'],
    ['roles:\n  owner: []', 'roles Unrecognized key: "owner"'],
    ['upstreams: [\n', 'not valid YAML or JSON (line'],
  ])('refuses %j naming the path inside the file', (text, expected) => {
    const message = errorOf(text);
    expect(message.startsWith(`KEYGATE_CONFIG ${FILE}: `)).toBe(true);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('names a missing ${ENV} variable and never shows header values', () => {
    const message = errorOf(
      'upstreams:\n  - name: a\n    url: http://x/graphql\n    headers:\n      x-token: "${MISSING_TOKEN}"\n      x-other: secret-value-1',
    );
    expect(message).toBe(`KEYGATE_CONFIG ${FILE}: upstreams[0].headers.x-token uses \${MISSING_TOKEN}, which is not set in the environment`);
    const bad = errorOf('upstreams:\n  - name: a\n    url: http://x/graphql\n    headers:\n      "bad header": secret-value-2');
    expect(bad).not.toContain('secret-value-2');
  });

  it('names an unreadable file', async () => {
    await expect(loadGatewayConfig('/nonexistent/keygate.yaml')).rejects.toThrow('KEYGATE_CONFIG /nonexistent/keygate.yaml: cannot be read (ENOENT)');
  });
});

describe('start-up refuses an unsafe or broken gateway', () => {
  let keygate: GraphQLSchema;
  let inventory: FakeUpstream;
  let dir: string;
  const logger = createLogger('silent');

  beforeAll(async () => {
    keygate = await buildKeygateSchema();
    inventory = await startFakeUpstream(INVENTORY_SDL, inventoryRoot());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-gwconfig-'));
  });
  afterAll(async () => {
    await inventory.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startWith(yaml: string, files: Record<string, string> = {}, extra: { production?: boolean; identitySigningKey?: string } = {}) {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const configFile = path.join(dir, 'keygate.yaml');
    fs.writeFileSync(configFile, yaml);
    return UpstreamGateway.start({
      configFile,
      keygateSchema: keygate,
      scopeCatalog: new ScopeCatalog(),
      issuer: 'keygate',
      production: extra.production ?? false,
      identitySigningKey: extra.identitySigningKey,
      dataDir: dir,
      logger,
    });
  }

  const inventoryWith = (policies: string) => `upstreams:\n  - name: inventory\n    url: ${inventory.url}\n    policies:\n${policies}`;
  const ALL_POLICIES =
    '      Query.products: public\n      Query.product: public\n      Query.status: public\n      Query.failing: public\n      Mutation.createProduct: authenticated\n';

  it('starts with every root field guarded (introspected upstream)', async () => {
    const gateway = await startWith(inventoryWith(ALL_POLICIES));
    expect(gateway.schema.getQueryType()!.getFields().products).toBeDefined();
    expect(gateway.schema.getQueryType()!.getFields().viewer).toBeDefined();
  });

  it('names every unguarded upstream root field (default deny)', async () => {
    await expect(startWith(inventoryWith('      Query.products: public\n'))).rejects.toThrow(
      'upstream "inventory": no policy for Query.product, Query.status, Query.failing, Mutation.createProduct (default deny',
    );
  });

  it('refuses a policy for a field that does not exist', async () => {
    await expect(startWith(inventoryWith(ALL_POLICIES + '      Product.weight: public\n'))).rejects.toThrow(
      'upstream "inventory": policies.Product.weight names a field that does not exist in its schema',
    );
  });

  it("refuses a name clash with Keygate's fields or another upstream's", async () => {
    fs.writeFileSync(path.join(dir, 'viewer.graphql'), 'type Query { viewer: String @public }');
    await expect(startWith(`upstreams:\n  - name: clash\n    url: ${inventory.url}\n    schemaFile: viewer.graphql\n`)).rejects.toThrow(
      `upstream "clash": Query.viewer clashes with Keygate's own Query.viewer`,
    );
    fs.writeFileSync(path.join(dir, 'status.graphql'), 'type Query { status: String! @public }');
    await expect(startWith(inventoryWith(ALL_POLICIES) + `  - name: second\n    url: ${inventory.url}\n    schemaFile: status.graphql\n`)).rejects.toThrow(
      `upstream "second": Query.status clashes with upstream "inventory"'s Query.status`,
    );
    fs.writeFileSync(path.join(dir, 'user.graphql'), 'type Query { people: [User!]! @public } type User { name: String }');
    await expect(startWith(`upstreams:\n  - name: people\n    url: ${inventory.url}\n    schemaFile: user.graphql\n`)).rejects.toThrow(
      "type User clashes with Keygate's own type User",
    );
  });

  it('refuses an unreachable upstream without schemaFile, naming it', async () => {
    const url = `http://127.0.0.1:${await freePort()}/graphql`;
    await expect(startWith(`upstreams:\n  - name: gone\n    url: ${url}\n    timeoutMs: 1000\n    policies:\n      Query.x: public\n`)).rejects.toThrow(
      `upstream "gone" at ${url} cannot be introspected and has no schemaFile`,
    );
  });

  it('refuses an SDL file that does not parse, and a missing one', async () => {
    fs.writeFileSync(path.join(dir, 'broken.graphql'), 'type Query { x: }');
    await expect(startWith(`upstreams:\n  - name: broken\n    url: ${inventory.url}\n    schemaFile: broken.graphql\n`)).rejects.toThrow(
      /upstream "broken" schemaFile .*broken\.graphql: not valid GraphQL SDL/,
    );
    await expect(startWith(`upstreams:\n  - name: missing\n    url: ${inventory.url}\n    schemaFile: nope.graphql\n`)).rejects.toThrow(
      /schemaFile .*nope\.graphql cannot be read \(ENOENT\)/,
    );
  });

  it('requires IDENTITY_SIGNING_KEY in production when upstreams are configured, and accepts an ES256 PEM', async () => {
    await expect(startWith(inventoryWith(ALL_POLICIES), {}, { production: true })).rejects.toThrow('IDENTITY_SIGNING_KEY is required when NODE_ENV=production');
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const gateway = await startWith(inventoryWith(ALL_POLICIES), {}, { production: true, identitySigningKey: pem });
    expect(gateway.jwks().keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) })]);
    await expect(startWith(inventoryWith(ALL_POLICIES), {}, { identitySigningKey: 'not-a-key-secret' })).rejects.toThrow(
      /^IDENTITY_SIGNING_KEY must be a private key as a JWK \(JSON\) or PEM$/,
    );
  });

  it('generates the signing key into DATA_DIR outside production and reuses it', async () => {
    const first = await startWith(inventoryWith(ALL_POLICIES));
    const second = await startWith(inventoryWith(ALL_POLICIES));
    expect(first.jwks().keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(second.jwks()).toEqual(first.jwks());
    expect(fs.statSync(path.join(dir, 'identity-signing-key.json')).mode & 0o077).toBe(0);
  });
});
