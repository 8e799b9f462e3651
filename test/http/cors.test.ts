import { loadConfig } from '../../src/config/config';
import { startTestApp, type TestApp } from '../support/test-app';

const ALLOWED = 'http://app.example.test:5173';

describe('CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: `https://other.example.test, ${ALLOWED}` } });
  });
  afterAll(() => t.close());

  const preflight = (origin: string, path = '/graphql') =>
    fetch(`${t.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-client-key' },
    });

  it('answers a preflight from an allowed origin with 204 and what a browser needs (not the CSRF refusal)', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowed = res.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'x-client-key', 'apollo-require-preflight', 'x-apollo-operation-name']));
  });

  it('names the allowed origin and exposes the rate-limit headers on responses', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')).toBe('RateLimit, RateLimit-Policy, Retry-After');
  });

  it('gives other origins no Access-Control-Allow-Origin', async () => {
    for (const origin of ['http://evil.example.test', 'http://app.example.test:5174', 'https://app.example.test:5173']) {
      const res = await preflight(origin);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const post = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
      expect(post.headers.get('access-control-expose-headers')).toBeNull();
    }
  });

  it('sends no CORS headers at all when CORS_ORIGINS is not set, and refuses a bad list at start-up', async () => {
    const plain = await startTestApp({ db: t.db });
    try {
      const res = await fetch(`${plain.url}/graphql`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    } finally {
      await plain.close();
    }
    for (const bad of ['*', 'https://app.example.test/path', 'app.example.test']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow(/^Invalid configuration: CORS_ORIGINS must list exact origins/);
    }
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.test/, http://localhost:3000' }).corsOrigins).toEqual([
      'https://a.example.test',
      'http://localhost:3000',
    ]);
  });
});
