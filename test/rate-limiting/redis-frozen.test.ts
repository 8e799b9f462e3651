import { OwnRedis } from '../budgets/budget-redis';
import { until } from '../support/wait';
import { postGraphQL } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const VIEWER = '{ viewer { id } }';

/** Issue #20 finding 6: a frozen Redis stalled every key request by about 1 s while /readyz said ready. */
describe('a frozen Redis (SIGSTOP) behind Keygate', () => {
  let own: OwnRedis | undefined;
  let t: TestApp | undefined;
  beforeAll(async () => {
    own = await OwnRedis.start();
    if (!own) console.warn('[keygate tests] SKIPPED frozen Redis: no redis-server to start');
    else t = await startTestApp({ env: { REDIS_URL: own.url, REDIS_TIMEOUT_MS: '50' } });
  });
  afterAll(async () => {
    own?.thaw();
    await t?.close();
    await own?.stop();
  });

  it('costs key requests no stall, keeps counting what was spent, and /readyz says degraded', async () => {
    if (!own || !t) return;
    const admin = await t.login();
    const { key } = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: 5 });
    for (let i = 0; i < 2; i++) expect((await postGraphQL(t.url, VIEWER, {}, { 'x-client-key': key })).status).toBe(200);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ok' });

    own.freeze();
    const started = performance.now();
    const during: number[] = [];
    for (let i = 0; i < 4; i++) during.push((await postGraphQL(t.url, VIEWER, {}, { 'x-client-key': key })).status);
    const elapsed = performance.now() - started;
    // 3 of 5 were left: this instance counts on from what it spent, then refuses.
    expect(during).toEqual([200, 200, 200, 429]);
    // The old client waited 1 s per request for Redis (about 4 s here); now one wait of REDIS_TIMEOUT_MS, then none.
    expect(elapsed).toBeLessThan(2000);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'degraded', redis: 'unavailable' });

    own.thaw();
    await until('/readyz says ok again', async () => ((await (await fetch(`${t!.url}/readyz`)).json()) as { status: string }).status === 'ok', 10_000);
    // Back on Redis, which got this instance's counts: still nothing left.
    expect((await postGraphQL(t.url, VIEWER, {}, { 'x-client-key': key })).status).toBe(429);
  });
});
