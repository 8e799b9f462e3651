import { spawnSync } from 'node:child_process';
import { VIEWER } from '../support/documents';
import { postGraphQL } from '../support/graphql-client';
import { startOwnRedis } from '../support/redis';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/wait';

/** The test starts and kills its own Redis: without the binary it cannot, and says so as a skipped test. */
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) console.warn('[keygate tests] SKIPPED Redis outage: no redis-server binary on this machine');

(hasRedisServer ? describe : describe.skip)(`Redis stopped mid-run${hasRedisServer ? '' : ' (skipped: no redis-server binary on this machine)'}`, () => {
  it('keeps serving with per-instance limits, logs it once and counts the fallback', async () => {
    const redis = await startOwnRedis();
    if (!redis) throw new Error('redis-server is installed but could not be started');
    let t: TestApp | undefined;
    try {
      t = await startTestApp({ env: { REDIS_URL: redis.url }, captureLogs: true });
      const admin = await t.login();
      const { key } = await issueKey(t, admin, { scopes: ['read:users'], rateLimitPerMinute: 5 });
      const before = await Promise.all(Array.from({ length: 3 }, () => postGraphQL(t!.url, VIEWER, {}, { 'x-client-key': key })));
      expect(before.every((r) => r.status === 200)).toBe(true);

      await redis.stop();
      // The client has seen the connection go (its reconnection is refused) before the requests are sent.
      await until('Keygate has logged Redis as unavailable', () => t!.logs().includes('Redis unavailable'));
      const during = await Promise.all(Array.from({ length: 15 }, () => postGraphQL(t!.url, VIEWER, {}, { 'x-client-key': key })));
      // The local fallback goes on from what this instance spent (3 of 5): 2 pass, the rest are refused, nothing fails.
      expect(during.filter((r) => r.status === 200)).toHaveLength(2);
      expect(during.filter((r) => r.status === 429)).toHaveLength(13);
      expect(during.every((r) => r.status === 200 || r.status === 429)).toBe(true);

      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      expect(Number(/keygate_rate_limit_fallbacks_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
      const warnings = t
        .logs()
        .split('\n')
        .filter((line) => line.includes('Redis unavailable'));
      expect(warnings).toHaveLength(1);
    } finally {
      await t?.close();
      await redis.stop();
    }
  });
});
