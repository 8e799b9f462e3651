import { VIEWER } from '../support/documents';
import { postGraphQL } from '../support/graphql-client';
import { clearRateLimits, sharedRedisUrl } from '../support/redis';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const N = 20;

async function burst(urls: string[], key: string, count: number) {
  return Promise.all(Array.from({ length: count }, (_, i) => postGraphQL(urls[i % urls.length], VIEWER, {}, { 'x-client-key': key })));
}

describe('per-key rate limits on one instance (in memory)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it(`lets exactly ${N} of ${3 * N} concurrent requests through, refusing the rest with 429`, async () => {
    const admin = await t.login();
    const { key } = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: N });
    const results = await burst([t.url], key, 3 * N);
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(N);
    expect(refused).toHaveLength(2 * N);

    for (const r of ok) {
      expect(r.headers.get('ratelimit-policy')).toBe(`"default";q=${N};w=60`);
      expect(r.headers.get('ratelimit')).toMatch(/^"default";r=\d+;t=\d+$/);
    }
    const remaining = ok.map((r) => Number(/r=(\d+)/.exec(r.headers.get('ratelimit')!)![1])).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: N }, (_, i) => i));

    const refusal = refused[0];
    expect(refusal.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(refusal.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refusal.headers.get('ratelimit')).toBe(`"default";r=0;t=${retryAfter}`);
    expect(refusal.headers.get('ratelimit-policy')).toBe(`"default";q=${N};w=60`);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`keygate_rate_limit_refusals_total ${2 * N}\\b`));
  });

  it('counts each key separately and leaves user sessions unlimited by key budgets', async () => {
    const admin = await t.login();
    const a = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: 2 });
    const b = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: 2 });
    expect((await burst([t.url], a.key, 3)).filter((r) => r.status === 200)).toHaveLength(2);
    expect((await burst([t.url], b.key, 2)).every((r) => r.status === 200)).toBe(true);
    const session = await postGraphQL(t.url, VIEWER, {}, { authorization: `Bearer ${admin.token}` });
    expect(session.status).toBe(200);
    expect(session.headers.get('ratelimit')).toBeNull();
  });
});

const redisUrl = sharedRedisUrl('rate limits shared by two instances');
(redisUrl ? describe : describe.skip)('per-key rate limits across two instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  const keyIds: string[] = [];
  beforeAll(async () => {
    // Exact sharing is what this proves: on a busy machine a 50 ms wait for Redis would count alone
    // (as it must: see test/rate-limiting/redis-frozen.test.ts), so Redis is waited for here.
    const env = { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '5000' };
    a = await startTestApp({ env });
    b = await startTestApp({ env, db: a.db });
  });
  afterAll(async () => {
    await clearRateLimits(redisUrl!, keyIds);
    await b.close();
    await a.close();
  });

  it(`lets exactly ${N} of ${3 * N} concurrent requests through, spread over both instances`, async () => {
    const admin = await a.login();
    const { key, id } = await issueKey(a, admin, { scopes: ['read:users'], rateLimitPerMinute: N });
    keyIds.push(id);
    const results = await burst([a.url, b.url], key, 3 * N);
    expect(results.filter((r) => r.status === 200)).toHaveLength(N);
    expect(results.filter((r) => r.status === 429)).toHaveLength(2 * N);
    const served = results.filter((r) => r.status === 200);
    expect(served.length).toBe(N);
  });
});
