import { UPDATE_KEY } from '../support/documents';
import { postGraphQL } from '../support/graphql-client';
import { clearRateLimits, sharedRedisUrl } from '../support/redis';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const remainingOf = (headers: Headers) => Number(/r=(\d+)/.exec(headers.get('ratelimit') ?? '')?.[1]);

/** `n` aliased createClientKey mutations in one request. */
function aliasedCreates(n: number, label: string): string {
  const fields = Array.from(
    { length: n },
    (_, i) => `k${i}: createClientKey(input: { name: "${label} ${i}", scopes: ["read:clientkeys"] }) { clientKey { id } }`,
  );
  return `mutation { ${fields.join(' ')} }`;
}

function rateLimitSuite(name: string, env: () => Record<string, string>, redisUrl?: string) {
  describe(name, () => {
    let t: TestApp;
    let admin: { token: string; userId: string };
    const keyIds: string[] = [];
    beforeAll(async () => {
      t = await startTestApp({ env: env() });
      admin = await t.login();
    });
    afterAll(async () => {
      if (redisUrl) await clearRateLimits(redisUrl, keyIds);
      await t.close();
    });

    async function key(rateLimitPerMinute: number, scopes = ['read:clientkeys', 'write:clientkeys']) {
      const issued = await issueKey(t, admin, { scopes, rateLimitPerMinute });
      keyIds.push(issued.id);
      return issued;
    }
    const countKeys = async () => (await t.gql('{ clientKeys(first: 1) { totalCount } }', {}, admin)).data.clientKeys.totalCount as number;

    it('charges one unit per root field: 15 aliased mutations cost 15, and a request that does not fit is refused whole', async () => {
      const { key: secret } = await key(20);
      const before = await countKeys();
      const first = await postGraphQL(t.url, aliasedCreates(15, 'units'), {}, { 'x-client-key': secret });
      expect(first.status).toBe(200);
      expect(Object.keys(first.data)).toHaveLength(15);
      expect(remainingOf(first.headers)).toBe(5);
      expect(await countKeys()).toBe(before + 15);

      // 6 more do not fit into the 5 left: nothing of it runs, and nothing is spent.
      const refused = await postGraphQL(t.url, aliasedCreates(6, 'refused'), {}, { 'x-client-key': secret });
      expect(refused.status).toBe(429);
      expect(refused.data).toBeUndefined();
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit')).toMatch(/^"default";r=5;t=\d+$/);
      expect(await countKeys()).toBe(before + 15);

      const fits = await postGraphQL(t.url, aliasedCreates(5, 'fits'), {}, { 'x-client-key': secret });
      expect(fits.status).toBe(200);
      expect(remainingOf(fits.headers)).toBe(0);
      expect(await countKeys()).toBe(before + 20);
    });

    it('counts root fields reached through fragments and inline fragments, once per response key, honouring @skip', async () => {
      const { key: secret } = await key(10);
      const query = `query($skip: Boolean!) {
        ...Root
        ... on Query { b: viewer { id } c: viewer { id } }
        a: viewer { id }
        d: viewer @skip(if: $skip) { id }
      }
      fragment Root on Query { a: viewer { id } e: clientKeys(first: 1) { totalCount } }`;
      const skipped = await postGraphQL(t.url, query, { skip: true }, { 'x-client-key': secret });
      expect(skipped.errors).toBeUndefined();
      expect(skipped.status).toBe(200);
      // a, b, c, e: four response keys (a twice is one).
      expect(remainingOf(skipped.headers)).toBe(6);
      const included = await postGraphQL(t.url, query, { skip: false }, { 'x-client-key': secret });
      expect(remainingOf(included.headers)).toBe(1);
    });

    it('spends nothing on a document that fails before it runs, and still reports the budget', async () => {
      const { key: secret } = await key(3);
      const invalid = await postGraphQL(t.url, '{ viewer { nope } }', {}, { 'x-client-key': secret });
      expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(invalid.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60');
      expect(remainingOf(invalid.headers)).toBe(3);
      const ok = await postGraphQL(t.url, '{ viewer { id } }', {}, { 'x-client-key': secret });
      expect(remainingOf(ok.headers)).toBe(2);
    });

    it('keeps the units already spent when the limit changes in the middle of a window', async () => {
      const { key: secret, id } = await key(10);
      for (let i = 0; i < 5; i++) expect((await postGraphQL(t.url, '{ viewer { id } }', {}, { 'x-client-key': secret })).status).toBe(200);

      // Lowered to 3 with 5 spent: nothing more this window.
      expect((await t.gql(UPDATE_KEY, { id, i: { rateLimitPerMinute: 3 } }, admin)).errors).toBeUndefined();
      const lowered = await postGraphQL(t.url, '{ viewer { id } }', {}, { 'x-client-key': secret });
      expect(lowered.status).toBe(429);
      expect(lowered.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60');
      expect(lowered.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);

      // Raised to 7 with 5 spent: two more.
      expect((await t.gql(UPDATE_KEY, { id, i: { rateLimitPerMinute: 7 } }, admin)).errors).toBeUndefined();
      const raised = [];
      for (let i = 0; i < 3; i++) raised.push(await postGraphQL(t.url, '{ viewer { id } }', {}, { 'x-client-key': secret }));
      expect(raised.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(remainingOf(raised[1].headers)).toBe(0);
    });
  });
}

rateLimitSuite('root-field rate limits, in memory', () => ({}));

const redisUrl = sharedRedisUrl('root-field rate limits in Redis');
if (redisUrl) rateLimitSuite('root-field rate limits, in Redis', () => ({ REDIS_URL: redisUrl }), redisUrl);
else describe.skip('root-field rate limits, in Redis (REDIS_URL is not set)', () => it('needs Redis', () => undefined));
