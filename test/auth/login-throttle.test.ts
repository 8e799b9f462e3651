import bcrypt from 'bcrypt';
import { Redis } from 'ioredis';
import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const LIMIT = 10;

/** 40 concurrent wrong passwords for one email: the attempt is reserved before the password is checked. */
const redisUrl = sharedRedisUrl('login throttle in Redis');

describe.each([
  ['in memory', undefined, true],
  ['in Redis', redisUrl, redisUrl !== undefined],
])('the per-email login throttle %s', (_label, redisUrl, enabled) => {
  const run = enabled ? it : it.skip;
  let t: TestApp;
  const emails: string[] = [];
  beforeAll(async () => {
    if (!enabled) return;
    t = await startTestApp({
      env: redisUrl ? { REDIS_URL: redisUrl } : {},
      config: (c) => ({ ...c, loginLimits: { perIpPerMinute: 10_000, failuresPerEmail: LIMIT } }),
    });
  });
  afterAll(async () => {
    if (!t) return;
    await t.close();
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      await redis.del(...emails.map((e) => `keygate:login:email:${e}`));
      redis.disconnect();
    }
  });

  run('checks at most 10 passwords out of 40 concurrent wrong ones, and refuses the rest with 429', async () => {
    const member = await t.member('throttled');
    emails.push(member.email);
    const compare = jest.spyOn(bcrypt, 'compare');
    try {
      const results = await Promise.all(Array.from({ length: 40 }, () => t.gql(LOGIN, { e: member.email, p: 'wrong-password-1' })));
      const checked = results.filter((r) => r.code === 'UNAUTHENTICATED').length;
      const limited = results.filter((r) => r.code === 'RATE_LIMITED');
      expect(checked).toBeLessThanOrEqual(LIMIT);
      expect(checked + limited.length).toBe(40);
      expect(limited.every((r) => r.status === 429 && Number(r.headers.get('retry-after')) > 0)).toBe(true);
      expect(compare.mock.calls.length).toBe(checked);
      expect(checked).toBeGreaterThan(0);
      // Locked: the right password is refused too, without being checked.
      compare.mockClear();
      expect((await t.gql(LOGIN, { e: member.email, p: 'member-password-1' })).code).toBe('RATE_LIMITED');
      expect(compare).not.toHaveBeenCalled();
    } finally {
      compare.mockRestore();
    }
  });

  run('clears the count on a successful login, so a user who got it right is not locked later', async () => {
    const member = await t.member('recovers');
    emails.push(member.email);
    for (let i = 0; i < LIMIT - 1; i++) expect((await t.gql(LOGIN, { e: member.email, p: 'wrong-password-1' })).code).toBe('UNAUTHENTICATED');
    expect((await t.gql(LOGIN, { e: member.email, p: 'member-password-1' })).data.login.accessToken).toBeTruthy();
    for (let i = 0; i < LIMIT - 1; i++) expect((await t.gql(LOGIN, { e: member.email, p: 'wrong-password-1' })).code).toBe('UNAUTHENTICATED');
  });
});
