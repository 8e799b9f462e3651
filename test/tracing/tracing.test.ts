import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL } from '../support/graphql-client';
import { cleanEnv, exitOf, REPO_ROOT, type RunningKeygate, startKeygate } from '../support/spawn-keygate';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { type FakeUpstream, INVENTORY_SDL, inventoryRoot, startFakeUpstream } from '../upstreams/support/fake-upstream';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver';
import { found } from '../support/wait';

/**
 * The built server with tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set) in front of a real upstream:
 * one request with a client key must make one trace across Keygate's request span, its database
 * queries and its call to the upstream, and the upstream must be handed that trace.
 */
const ADMIN = { email: 'tracing-admin@example.com', password: 'tracing-password-1' };
const SERVER = 2;
const CLIENT = 3;

let db: TestDatabase;
let upstream: FakeUpstream;
let receiver: OtlpReceiver;
let keygate: RunningKeygate | undefined;
let dir: string;

beforeAll(async () => {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  db = await createTestDatabase();
  upstream = await startFakeUpstream(INVENTORY_SDL, inventoryRoot());
  receiver = await startOtlpReceiver();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-tracing-'));
  const configFile = path.join(dir, 'keygate.yaml');
  fs.writeFileSync(
    configFile,
    `
scopes:
  read:products: Read the product catalogue
upstreams:
  - name: inventory
    url: ${upstream.url}
    policies:
      Query.products: [["read:products"]]
      Query.product: [["read:products"]]
      Query.status: public
      Query.failing: public
      Mutation.createProduct: [["read:products"]]
`,
  );
  keygate = await startKeygate(['node', 'dist/src/main.js'], {
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    KEYGATE_CONFIG: configFile,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    BCRYPT_COST: '10',
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=tracing-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
}, 180_000);

afterAll(async () => {
  if (keygate) await keygate.stop('SIGTERM');
  await upstream?.close();
  await receiver?.close();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('one trace spans the request, its database queries and the upstream call; the upstream gets its traceparent; no secret is exported', async () => {
  const url = keygate!.url;
  const login = await postGraphQL(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
    e: ADMIN.email,
    p: ADMIN.password,
  });
  const token: string = login.data.login.accessToken;
  const created = await postGraphQL(
    url,
    'mutation { createClientKey(input: { name: "traced", scopes: ["read:products"] }) { key clientKey { keyPrefix } } }',
    {},
    { authorization: `Bearer ${token}` },
  );
  const key: string = created.data.createClientKey.key;
  const keyPrefix: string = created.data.createClientKey.clientKey.keyPrefix;

  const received = upstream.received.length;
  const answer = await postGraphQL(url, 'query Catalogue { products { name } }', {}, { 'x-client-key': key });
  expect(answer.errors).toBeUndefined();
  expect(answer.data.products).toHaveLength(2);
  // Probes are not traced; sent before the wait so a span for it would have arrived with the rest.
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  const request = await found(
    "the request's server span",
    () => receiver.spans.find((s) => s.kind === SERVER && s.attributes['graphql.operation.name'] === 'Catalogue'),
    15_000,
  );
  const inTrace = (pick: (s: ReceivedSpan) => boolean, what: string) =>
    found(what, () => receiver.spans.find((s) => s.traceId === request.traceId && pick(s)), 15_000);
  const upstreamCall = await inTrace((s) => s.kind === CLIENT && s.scope.includes('undici'), 'the upstream call span');
  const query = await inTrace((s) => s.scope.includes('pg'), 'a database span');

  // The request span: route-named, with the phases and the caller's attributes.
  expect(request.name).toBe('POST /graphql');
  expect(request.parentSpanId).toBeUndefined();
  expect(request.attributes).toMatchObject({ 'keygate.key_prefix': keyPrefix, 'graphql.operation.name': 'Catalogue', 'http.route': '/graphql' });
  expect(request.events).toEqual(expect.arrayContaining(['read', 'authenticate', 'execute', 'respond', 'record']));
  expect(request.events.indexOf('read')).toBeLessThan(request.events.indexOf('authenticate'));
  expect(request.events.indexOf('execute')).toBeLessThan(request.events.indexOf('respond'));
  expect(request.resource).toMatchObject({ 'service.name': 'keygate', 'deployment.environment.name': 'tracing-test' });

  // The upstream call and the query hang under the request.
  expect(upstreamCall.attributes['url.full']).toBe(upstream.url);
  expect(query.attributes['db.system.name']).toBe('postgresql');
  const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
  const root = (s: ReceivedSpan): ReceivedSpan => (s.parentSpanId && byId.has(s.parentSpanId) ? root(byId.get(s.parentSpanId)!) : s);
  expect(root(upstreamCall).spanId).toBe(request.spanId);
  expect(root(query).spanId).toBe(request.spanId);

  // The upstream was handed the same trace, with the upstream call span as its parent.
  const sent = upstream.received.slice(received);
  expect(sent).toHaveLength(1);
  expect(sent[0].headers.traceparent).toBe(`00-${request.traceId}-${upstreamCall.spanId}-01`);

  expect(receiver.spans.filter((s) => s.kind === SERVER && s.attributes['url.path'] === '/healthz')).toEqual([]);

  // Nothing exported carries the key, its secret part, the password or the access token.
  const secret = key.slice(keyPrefix.length);
  const exported = receiver.bodies.join('\n');
  for (const value of [key, secret, ADMIN.password, token]) expect(exported).not.toContain(value);
}, 60_000);

it('keeps the values of a GET request out of the span: only the query parameters are named', async () => {
  const query = '{ status }';
  const marker = 'secret-looking-variable-value';
  const res = await fetch(`${keygate!.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ v: marker }))}`, {
    headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
  });
  expect(res.status).toBe(200);
  const span = await found(
    'the GET request span',
    () => receiver.spans.find((s) => s.kind === SERVER && s.attributes['http.request.method'] === 'GET' && s.attributes['url.path'] === '/graphql'),
    15_000,
  );
  expect(span.attributes['url.query']).toBe('query=REDACTED&variables=REDACTED');
  expect(receiver.bodies.join('\n')).not.toContain(marker);
}, 30_000);

/** What the built server's modules load and patch, in a fresh process with the given environment. */
function loadedWith(env: Record<string, string>): { sdkModules: number; pgPatched: boolean; httpPatched: boolean } {
  const script = `
    require('./dist/src/tracing/register.js');
    require('./dist/src/server/create-app.js');
    const pg = require('pg');
    const http = require('http');
    // prom-client loads @opentelemetry/api itself (for exemplars); anything else is tracing's.
    const sdk = Object.keys(require.cache).filter((p) => p.includes('@opentelemetry') && !p.includes('@opentelemetry/api/'));
    console.log(JSON.stringify({ sdkModules: sdk.length, pgPatched: Boolean(pg.Client.prototype.query.__wrapped), httpPatched: Boolean(http.Server.prototype.emit.__wrapped) }));
  `;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, env: cleanEnv(env), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('tracing off', () => {
  it('loads no OpenTelemetry SDK or instrumentation and patches nothing unless an exporter is set', () => {
    expect(loadedWith({})).toEqual({ sdkModules: 0, pgPatched: false, httpPatched: false });
    expect(loadedWith({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({
      sdkModules: 0,
      pgPatched: false,
      httpPatched: false,
    });
    expect(loadedWith({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }).sdkModules).toBe(0);
    // The same probe sees tracing when it is on.
    const on = loadedWith({ OTEL_TRACES_EXPORTER: 'otlp' });
    expect(on.sdkModules).toBeGreaterThan(0);
    expect(on).toMatchObject({ pgPatched: true, httpPatched: true });
  }, 60_000);

  it('stops start-up with one line naming a tracing variable it cannot honour', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: REPO_ROOT,
      env: cleanEnv({ OTEL_TRACES_EXPORTER: 'zipkin', PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdout.resume();
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toBe('Invalid configuration: OTEL_TRACES_EXPORTER must be "otlp" or "none" (got "zipkin")\n');
  }, 30_000);
});
