import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { withoutCost } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

/**
 * An upstream is a service Keygate fronts, not one it trusts with its policies: whatever it
 * answers, the client gets only what it selected and may see, in the types the schema says.
 * This upstream answers whatever the test sets, to any request.
 */
const SDL = /* GraphQL */ `
  type Query {
    items: [Item!]!
    maybe: [Item!]
    hidden: Secretive
    blob: Blob
  }
  scalar Blob
  interface Item {
    id: ID!
    cost: Float
  }
  type Widget implements Item {
    id: ID!
    cost: Float
  }
  interface Secretive {
    secret: String
  }
`;

let answer = '';
let server: http.Server;
let dir: string;
let t: TestApp;
let reader: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-hostile-'));
  fs.writeFileSync(path.join(dir, 'shop.graphql'), SDL);
  const configFile = path.join(dir, 'keygate.yaml');
  fs.writeFileSync(
    configFile,
    `scopes:\n  read:products: Read\n  read:costs: Costs\nupstreams:\n  - name: shop\n    url: http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n    schemaFile: shop.graphql\n    policies:\n      Query.items: [["read:products"]]\n      Query.maybe: [["read:products"]]\n      Query.hidden: [["read:products"]]\n      Query.blob: [["read:products"]]\n      Widget.cost: [["read:costs"]]\n      Secretive.secret: [["read:costs"]]\n`,
  );
  t = await startTestApp({ env: { KEYGATE_CONFIG: configFile } });
  reader = (await issueKey(t, await t.login(), { scopes: ['read:products'] })).key;
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ask(query: string, upstreamAnswer: unknown) {
  answer = typeof upstreamAnswer === 'string' ? upstreamAnswer : JSON.stringify(upstreamAnswer);
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-client-key': reader },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, text: await res.text() };
}

describe('an upstream answering more than it was asked', () => {
  it('gives the client only the fields it selected, never a guarded one', async () => {
    const res = await ask('{ items { id } }', { data: { items: [{ __typename: 'Widget', id: 'w1', cost: 999, secret: 'INJECTED' }], echo: 'extra root' } });
    expect(withoutCost(JSON.parse(res.text))).toEqual({ data: { items: [{ id: 'w1' }] } });
  });

  it('turns values of the wrong type, unknown types and missing non-null values into masked errors', async () => {
    for (const data of [
      { items: 'notalist' },
      { items: [{ __typename: 'Gizmo', id: 'g1', cost: 1 }] },
      { items: [{ __typename: 'Widget', id: null }] },
      { items: [{ __typename: 'Widget', id: { deep: 'x' } }] },
    ]) {
      const res = await ask('{ items { id } }', { data });
      expect(res.status).toBe(200);
      const body = withoutCost(JSON.parse(res.text));
      expect(body.data).toBeNull();
      expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(res.text).not.toMatch(/Gizmo|notalist|deep/);
    }
  });

  it('never shows a field guarded on an interface whose implementations the gateway does not know', async () => {
    const res = await ask('{ hidden { secret } }', { data: { hidden: { __typename: 'Real', secret: 'HIDDEN' } } });
    expect(res.text).not.toContain('HIDDEN');
  });
});

describe('an upstream answering too much', () => {
  // Sent whole to the upstream (planned), and stitched (Keygate's own `scopes` joins the operation).
  it.each(['{ blob maybe { id } }', '{ blob maybe { id } scopes { name } }'])(
    "refuses a custom scalar nested past 64 levels as that field's error, not a 500: %s",
    async (query) => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      const res = await ask(query, `{"data":{"blob":${deep},"maybe":[]}}`);
      expect(res.status).toBe(200);
      const body = withoutCost(JSON.parse(res.text));
      expect(body.data.blob ?? null).toBeNull();
      expect(body.errors.map((e: { path: string[] }) => e.path)).toContainEqual(['blob']);
      // Planned, the other field keeps its answer; stitched, graphql-tools' own walk of the batch fails it too (still a 200).
      if (!query.includes('scopes')) expect(body.data.maybe).toEqual([]);
    },
  );

  it('stops reading an answer past 16 MiB: the upstream is unavailable', async () => {
    const res = await ask('{ maybe { id } }', `{"data":{"maybe":[]},"padding":"${'x'.repeat(17 * 1024 * 1024)}"}`);
    expect(withoutCost(JSON.parse(res.text)).errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'shop' });
  });
});

describe("an upstream's broken errors", () => {
  it('answers errors alone (no data) with each nullable root field null', async () => {
    const res = await ask('{ maybe { id } }', { errors: [{ message: 'Cannot query that', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(res.status).toBe(200);
    expect(withoutCost(JSON.parse(res.text))).toEqual({
      data: { maybe: null },
      errors: [{ message: 'Cannot query that', path: ['maybe'], extensions: { code: 'GRAPHQL_VALIDATION_FAILED', upstream: 'shop' } }],
    });
  });

  it('puts an error without a path on the root fields it asked: a 200 beside the data', async () => {
    const res = await ask('{ maybe { id } }', { data: { maybe: null }, errors: [{ message: 'Shop busy', extensions: { code: 'RATE_LIMITED' } }] });
    expect(res.status).toBe(200);
    expect(withoutCost(JSON.parse(res.text))).toEqual({
      data: { maybe: null },
      errors: [{ message: 'Shop busy', path: ['maybe'], extensions: { code: 'RATE_LIMITED', upstream: 'shop' } }],
    });
  });

  it.each([
    ['errors that are not objects', { data: null, errors: [null, 5, 'x'] }],
    ['not JSON', 'Internal Server Error'],
    ['neither data nor errors', { result: 'ok' }],
  ])('answers %s with UPSTREAM_UNAVAILABLE', async (_name, upstreamAnswer) => {
    const res = await ask('{ maybe { id } }', upstreamAnswer);
    const body = withoutCost(JSON.parse(res.text));
    expect(body).toEqual({
      data: { maybe: null },
      errors: [{ message: 'Upstream "shop" is unavailable', path: ['maybe'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'shop' } }],
    });
  });
});
