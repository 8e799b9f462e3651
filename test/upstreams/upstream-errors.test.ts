import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GatewayConfigError, parseGatewayConfig } from '../../src/upstreams/gateway-config';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A real upstream whose errors say too much (SPEC "Upstream errors"): SQL quoting the client's
 * argument, file paths, a connection string with its password, traces and exceptions in
 * extensions. The client sees coded errors with their message and code, every other one as
 * "Upstream error" (UPSTREAM_ERROR), and only `code`, `upstream` and the names the upstream's
 * `exposeExtensions` lists; the debug log keeps the whole error, secrets redacted.
 */
const SDL = 'type Query { product(name: String!): String }';
const ARGUMENT = "needle-7f3a') OR 1=1 --";
const DB_PASSWORD = 'hunter2-db-pass';

/** What the upstream answers; `arg` is the argument it received (as an upstream that echoes it in SQL would). */
let errorsFor: (arg: string) => unknown[] = () => [];
let server: http.Server;
let dir: string;
let t: TestApp;
let admin: { token: string };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      const arg = String(Object.values(request.variables ?? {})[0] ?? /"((?:[^"\\]|\\.)*)"/.exec(request.query)?.[1] ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { product: null }, errors: errorsFor(arg) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-upstream-errors-'));
  fs.writeFileSync(path.join(dir, 'shop.graphql'), SDL);
  const configFile = path.join(dir, 'keygate.yaml');
  fs.writeFileSync(
    configFile,
    [
      'upstreams:',
      '  - name: shop',
      `    url: http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
      '    schemaFile: shop.graphql',
      '    exposeExtensions: [retryAfter, details]',
      '    policies:',
      '      Query.product: public',
      '',
    ].join('\n'),
  );
  t = await startTestApp({ env: { KEYGATE_CONFIG: configFile }, captureLogs: true });
  admin = await t.login();
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server?.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

const hostile = (arg: string) => [
  {
    message: `syntax error at or near "OR" in SELECT * FROM products WHERE name = '${arg}'`,
    path: ['product'],
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      sql: `SELECT * FROM products WHERE name = '${arg}'`,
      exception: { stacktrace: ['Error: at /srv/shop/src/db.js:12:5'] },
    },
  },
  { message: 'ENOENT: no such file or directory, open /srv/shop/config/secrets.json', extensions: { trace: 'at /srv/shop/src/index.js:42:7' } },
  {
    message: `connect ECONNREFUSED postgres://shop:${DB_PASSWORD}@db.internal:5432/shop`,
    extensions: { code: 42, dbPassword: DB_PASSWORD, exception: { message: 'boom' } },
  },
  // A code that is not a code: a sentence hiding a path.
  { message: 'Failed', extensions: { code: 'see /srv/shop/src/db.js', stack: 'Error\n    at /srv/shop/src/db.js:1:1' } },
];

const MASKED = { message: 'Upstream error', extensions: { code: 'UPSTREAM_ERROR', upstream: 'shop' } };

// Sent whole to the upstream (planned), and stitched beside Keygate's own `viewer`.
describe.each([
  ['planned', 'query($n: String!) { product(name: $n) }'],
  ['stitched', 'query($n: String!) { product(name: $n) viewer { kind } }'],
])('an upstream returning hostile errors (%s)', (_path, query) => {
  const ask = async () => {
    const res = await t.gql(query, { n: ARGUMENT }, admin);
    return { body: res, text: JSON.stringify(res.errors) };
  };

  it('masks every uncoded error and keeps only code and upstream in its extensions', async () => {
    errorsFor = hostile;
    const { body, text } = await ask();
    expect(body.status).toBe(200);
    expect(body.data?.product ?? null).toBeNull();
    expect(body.errors?.length).toBeGreaterThanOrEqual(1);
    for (const error of body.errors ?? []) expect({ message: error.message, extensions: error.extensions }).toEqual(MASKED);
    for (const leak of [
      'needle',
      'OR 1=1',
      'SELECT',
      '/srv/',
      'ENOENT',
      DB_PASSWORD,
      'postgres://',
      'db.internal',
      'trace',
      'sql',
      'exception',
      'dbPassword',
      'stack',
    ])
      expect([leak, text.includes(leak)]).toEqual([leak, false]);
  });

  it('passes a coded error with its message and code, and exposes only the listed extensions, without anything stack-like inside them', async () => {
    errorsFor = () => [
      {
        message: 'No product by that name',
        path: ['product'],
        extensions: {
          code: 'NOT_FOUND',
          retryAfter: 5,
          details: { field: 'name', stack: 'at /srv/shop/x.js', nested: { exception: 'boom', ok: 1 }, list: [{ trace: 't', kept: true }] },
          sql: 'SELECT 1',
          stacktrace: ['at /srv/shop/x.js'],
          upstream: 'forged',
          __proto__: { polluted: true },
        },
      },
    ];
    const { body } = await ask();
    expect(body.errors?.[0]).toEqual({
      message: 'No product by that name',
      path: ['product'],
      extensions: { code: 'NOT_FOUND', retryAfter: 5, details: { field: 'name', nested: { ok: 1 }, list: [{ kept: true }] }, upstream: 'shop' },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('logs the whole error at debug with secrets redacted and the client argument cut out', async () => {
    errorsFor = hostile;
    const before = t.logs().length;
    await ask();
    const logged = t.logs().slice(before);
    expect(logged).toContain('upstream returned an error');
    expect(logged).toContain('/srv/shop/config/secrets.json');
    expect(logged).toContain('postgres://shop:[REDACTED]@db.internal');
    expect(logged).not.toContain(DB_PASSWORD);
    expect(logged).not.toContain('needle');
  });
});

describe('exposeExtensions in KEYGATE_CONFIG', () => {
  const yaml = (expose: string) => `upstreams:\n  - name: shop\n    url: http://127.0.0.1:1/graphql\n    exposeExtensions: ${expose}\n`;
  it('takes a list of extension names', () => {
    expect(parseGatewayConfig(yaml('[retryAfter, details]'), '/etc/keygate.yaml').upstreams[0].exposeExtensions).toEqual(['retryAfter', 'details']);
    expect(parseGatewayConfig('upstreams:\n  - name: shop\n    url: http://127.0.0.1:1/graphql\n', '/etc/keygate.yaml').upstreams[0].exposeExtensions).toEqual(
      [],
    );
  });
  it.each([
    ['[stacktrace]', 'cannot expose'],
    ['[code]', 'cannot expose'],
    ['[exception]', 'cannot expose'],
    ['[__proto__]', 'must be extension names'],
    ['["a b"]', 'must be extension names'],
    ['retryAfter', 'expected array'],
  ])('refuses %s naming the path inside the file', (expose, why) => {
    expect(() => parseGatewayConfig(yaml(expose), '/etc/keygate.yaml')).toThrow(GatewayConfigError);
    expect(() => parseGatewayConfig(yaml(expose), '/etc/keygate.yaml')).toThrow(/upstreams\[0\]\.exposeExtensions/);
    expect(() => parseGatewayConfig(yaml(expose), '/etc/keygate.yaml')).toThrow(new RegExp(why.replace(/[[\]]/g, '\\$&')));
  });
});
