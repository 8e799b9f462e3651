import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, post } from './budget-http';

const redisUrl = sharedRedisUrl('the window edge through HTTP');
const describeWithRedis = redisUrl ? describe : describe.skip;

const LIMIT = 5;
const PERIOD_MS = 2_000;
/** Timestamps are taken around each request on the client: the span checked is shortened by this much. */
const JITTER_MS = 150;

describeWithRedis('a sliding window through HTTP: no double burst at an edge', () => {
  let t: TestApp;
  let caller: { key: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    const owner = await t.member('edge');
    caller = await createKey(t, owner, { name: 'edge', limits: [{ name: 'edge', unit: 'REQUESTS', limit: LIMIT, periodSeconds: PERIOD_MS / 1000 }] });
  });
  afterAll(() => t?.close());

  it('admits at most 5 in any 2 s span: one request, then a steady stream from 1.7 s (a fixed window would admit 5 more at 2 s)', async () => {
    const admitted: number[] = [];
    const pause = () => new Promise((resolve) => setTimeout(resolve, 25));
    const ask = async () => {
      const sent = Date.now();
      const res = await post(t, '{ viewer { id } }', {}, { key: caller.key });
      if (!res.errors) admitted.push(sent);
      else expect(res.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'edge' });
    };
    const start = Date.now();
    await ask();
    while (Date.now() - start < 1_700) await pause();
    // Up to the window's edge and past it, paced so the requests cover the whole stretch.
    while (Date.now() - start < 3_000) {
      await ask();
      await pause();
    }
    for (const from of admitted) expect(admitted.filter((at) => at >= from && at < from + PERIOD_MS - JITTER_MS).length).toBeLessThanOrEqual(LIMIT);
    // The first request, four more at 1.7 s, and one more once the first has left the window.
    expect(admitted.length).toBe(LIMIT + 1);
    expect(admitted[LIMIT] - admitted[0]).toBeGreaterThanOrEqual(PERIOD_MS - PERIOD_MS / 60 - JITTER_MS);
  });
});
