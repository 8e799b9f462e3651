import { sharedRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';
import { createKey, post, remaining, until, usageTotals } from './budget-http';

const redisUrl = sharedRedisUrl('refusals charged nothing through HTTP');
const describeWithRedis = redisUrl ? describe : describe.skip;

/** Requests refused before they run, each with the code it must get. */
const REFUSED: Array<{ what: string; query: string; variables?: Record<string, unknown>; code: string }> = [
  {
    what: 'a NUL byte in a variable',
    query: 'query($a: String) { clientKeys(first: 1, after: $a) { nodes { id } } }',
    variables: { a: 'x\u0000y' },
    code: 'BAD_USER_INPUT',
  },
  { what: 'a null for a non-null variable', query: 'query($id: ID!) { clientKey(id: $id) { id } }', variables: { id: null }, code: 'BAD_USER_INPUT' },
  {
    what: 'a variable that does not coerce',
    query: 'query($f: Int) { clientKeys(first: $f) { nodes { id } } }',
    variables: { f: 'many' },
    code: 'BAD_USER_INPUT',
  },
  { what: 'a validation error', query: '{ clientKeys(first: 1) { nodes { nope } } }', code: 'GRAPHQL_VALIDATION_FAILED' },
  { what: 'a FORBIDDEN root field', query: '{ users(first: 1) { nodes { id } } }', code: 'FORBIDDEN' },
  { what: "BAD_USER_INPUT from a mutation's input", query: 'mutation { createClientKey(input: { name: "", scopes: [] }) { key } }', code: 'BAD_USER_INPUT' },
];

describeWithRedis('refused requests are charged nothing and counted as errors', () => {
  let t: TestApp;
  let owner: { token: string; userId: string };
  let caller: { key: string; id: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: redisUrl!, REDIS_TIMEOUT_MS: '2000' } });
    owner = await t.member('refused');
    const admin = await t.login();
    // The owner's budget is shared by both keys, so the refused key's charge would show on the other.
    const set = await t.gql(
      `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`,
      { id: owner.userId, i: { limits: [{ name: 'team', unit: 'REQUESTS', limit: 1000, periodSeconds: 3600 }] } },
      admin,
    );
    expect(set.errors).toBeUndefined();
    caller = await createKey(t, owner, { name: 'caller', limits: [{ name: 'cost', unit: 'COST', limit: 1000, periodSeconds: 3600 }] });
  });
  afterAll(() => t?.close());

  it.each(REFUSED)('$what: refused with $code, every budget unchanged', async ({ query, variables, code }) => {
    const before = await remaining(t, caller.key);
    expect(before['user.team']).toBeGreaterThan(0);
    const res = await post(t, query, variables ?? {}, { key: caller.key });
    expect(res.code).toBe(code);
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(429);
    // Every response to a key says what it cost: nothing ran, nothing was kept.
    expect(res.extensions?.cost).toMatchObject({ actual: 0 });
    expect(await remaining(t, caller.key)).toEqual(before);
  });

  it('an IP outside allowedCidrs: FORBIDDEN (IP_NOT_ALLOWED), the shared owner budget unchanged', async () => {
    const fenced = await createKey(t, owner, { name: 'fenced', allowedCidrs: ['10.0.0.0/8'] });
    const before = await remaining(t, caller.key);
    const res = await post(t, '{ viewer { id } }', {}, { key: fenced.key });
    expect(res.status).toBe(403);
    expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'IP_NOT_ALLOWED' });
    expect(await remaining(t, caller.key)).toEqual(before);
    await until('the refusal shows in usage as an error', async () => (await usageTotals(t, owner, fenced.id)).errors === 1);
    expect((await usageTotals(t, owner, fenced.id)).rateLimited).toBe(0);
  });

  it('a FORBIDDEN root field reserves nothing while it runs: beside 10 of them, a key allowed 1 request gets it', async () => {
    const one = await createKey(t, owner, { name: 'one', limits: [{ name: 'one', unit: 'REQUESTS', limit: 1, periodSeconds: 3600 }] });
    const forbidden = Array.from({ length: 10 }, () => post(t, '{ users(first: 1) { nodes { id } } }', {}, { key: one.key }));
    const allowed = post(t, '{ viewer { id } }', {}, { key: one.key });
    const results = await Promise.all([...forbidden, allowed]);
    expect(results.slice(0, 10).map((r) => r.code)).toEqual(Array(10).fill('FORBIDDEN'));
    expect(results[10].errors).toBeUndefined();
    expect(results[10].data.viewer.id).toBe(one.id);
    expect((await remaining(t, one.key)).one).toBe(0);
  });

  it('usage counts each refusal as an error, never as rateLimited', async () => {
    await until('the refusals show in usage', async () => (await usageTotals(t, owner, caller.id)).errors >= REFUSED.length);
    const totals = await usageTotals(t, owner, caller.id);
    expect(totals.errors).toBe(REFUSED.length);
    expect(totals.rateLimited).toBe(0);
  });
});
