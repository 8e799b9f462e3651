import { VIEWER } from '../support/documents';
import { postGraphQL } from '../support/graphql-client';
import { startOwnRedis } from '../support/redis';
import { issueKey, sleep, startTestApp, type TestApp } from '../support/test-app';

describe('Redis stopped mid-run', () => {
  it('keeps serving with per-instance limits, logs it once and counts the fallback', async () => {
    const redis = await startOwnRedis();
    if (!redis) {
      console.warn('[keygate tests] SKIPPED Redis outage: no redis-server binary on this machine');
      return;
    }
    let t: TestApp | undefined;
    try {
      t = await startTestApp({ env: { REDIS_URL: redis.url }, captureLogs: true });
      const admin = await t.login();
      const { key } = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: 5 });
      const before = await Promise.all(Array.from({ length: 3 }, () => postGraphQL(t!.url, VIEWER, {}, { 'x-client-key': key })));
      expect(before.every((r) => r.status === 200)).toBe(true);

      await redis.stop();
      await sleep(300);
      const during = await Promise.all(Array.from({ length: 15 }, () => postGraphQL(t!.url, VIEWER, {}, { 'x-client-key': key })));
      // The local fallback starts its own count: 5 pass, the rest are refused, nothing fails.
      expect(during.filter((r) => r.status === 200)).toHaveLength(5);
      expect(during.filter((r) => r.status === 429)).toHaveLength(10);
      expect(during.every((r) => r.status === 200 || r.status === 429)).toBe(true);

      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      expect(Number(/keygate_rate_limit_fallbacks_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(15);
      const warnings = t.logs().split('\n').filter((line) => line.includes('Redis unavailable'));
      expect(warnings).toHaveLength(1);
    } finally {
      await t?.close();
      await redis.stop();
    }
  });
});
