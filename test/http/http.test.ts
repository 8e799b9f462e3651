import { startTestApp, type TestApp } from '../support/test-app';

describe('HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('serves Prometheus metrics including request counts', async () => {
    await fetch(`${t.url}/healthz`);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/keygate_http_requests_total\{route="healthz",status="200"\} \d+/);
    expect(text).toContain('keygate_process_cpu_seconds_total');
  });

  it('serves the playground to a browser, with every asset from Keygate itself', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Keygate playground');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBe(5);
    for (const source of sources) {
      expect(source).toMatch(/^\/graphql\/playground\//);
      const asset = await fetch(`${t.url}${source}`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('never lets another site frame the playground: page and assets (frame-ancestors, X-Frame-Options)', async () => {
    const responses = [
      await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } }),
      await fetch(`${t.url}/graphql/playground/init.js`),
      await fetch(`${t.url}/graphql/playground/graphiql.css`),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      await res.arrayBuffer();
    }
  });

  it('still answers GraphQL GET requests', async () => {
    const res = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses malformed JSON with 400 and an oversized body with 413', async () => {
    const bad = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    const big = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(big.status).toBe(413);
  });

  it('blocks cross-site simple requests (CSRF prevention)', async () => {
    const res = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(res.status).toBe(400);
  });

  it('refuses batched requests', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
  });

  it('answers unknown paths with 404', async () => {
    expect((await fetch(`${t.url}/nope`)).status).toBe(404);
  });
});

describe('readiness and shutdown', () => {
  it('lets an in-flight request finish during close, then reports the database gone', async () => {
    const t = await startTestApp();
    t.takeQueries();
    const inFlight = t.gql(`mutation { login(email: "admin@example.com", password: "admin-password-1") { accessToken } }`);
    // Close only once the server is working on the request (it has read the user): a fixed pause
    // raced the request's arrival on a busy machine.
    for (let i = 0; i < 500 && !t.takeQueries().some((q) => /from "?users"?/i.test(q)); i++) await new Promise((r) => setTimeout(r, 5));
    const closing = t.app.close();
    const res = await inFlight;
    expect(res.data?.login.accessToken).toEqual(expect.any(String));
    await closing;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
    await t.db.drop();
  });

  it('reports 503 on /readyz when the database is unreachable', async () => {
    const t = await startTestApp();
    try {
      await t.app.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [t.db.name]);
      await t.db.drop();
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    } finally {
      await t.app.close().catch(() => undefined);
    }
  });
});
