import { VIEWER } from '../support/documents';
import type { GraphQLResult } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/wait';
import { useTwoInstances } from '../support/two-instances';

const USAGE = `query($id: ID!, $since: DateTime!, $until: DateTime, $interval: UsageInterval) {
  clientKey(id: $id) { usage(since: $since, until: $until, interval: $interval) { start requests errors rateLimited meanLatencyMs } }
}`;
const BY_FIELD = `query($id: ID!, $since: DateTime!) { clientKey(id: $id) { usageByField(since: $since) { coordinate requests errors } } }`;

interface Totals {
  requests: number;
  errors: number;
  rateLimited: number;
}

function tally(results: GraphQLResult[]): Totals {
  return {
    requests: results.length,
    rateLimited: results.filter((r) => r.status === 429).length,
    errors: results.filter((r) => r.status !== 429 && r.errors !== undefined).length,
  };
}

/** Two Keygate instances on one database: every request a key makes is counted exactly once. */
describe('per-key usage counting', () => {
  const two = useTwoInstances();
  let a: TestApp;
  let b: TestApp;
  let admin: { token: string };
  const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
  beforeAll(() => ({ a, b, admin } = two));

  async function totals(id: string, interval: string, since = hourAgo()): Promise<Totals & { buckets: any[] }> {
    const res = await a.gql(USAGE, { id, since, interval }, admin);
    expect(res.errors).toBeUndefined();
    const buckets = res.data.clientKey.usage;
    const sum = (field: keyof Totals) => buckets.reduce((n: number, bucket: any) => n + bucket[field], 0);
    return { requests: sum('requests'), errors: sum('errors'), rateLimited: sum('rateLimited'), buckets };
  }

  it('adds up two instances flushing the same buckets, refusals and errors included, at every interval', async () => {
    const { key, id } = await issueKey(a, admin, { scopes: ['read:clientkeys'], rateLimitPerMinute: 5 });
    const send = (t: TestApp, query: string) => t.gql(query, {}, { key });
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => send(a, VIEWER)),
      ...Array.from({ length: 6 }, () => send(b, VIEWER)),
      // Refused for want of read:users: an error that is not a rate limit.
      send(a, '{ users { totalCount } }'),
      send(b, '{ users { totalCount } }'),
      // Does not validate: an error too.
      send(a, '{ viewer { nope } }'),
    ]);
    const expected = tally(results);
    // Each instance limits to 5 root fields per minute on its own (no Redis here); each gets 6 viewers (the
    // refused field and the document that fails validation spend none): one on each is refused.
    expect(expected.rateLimited).toBeGreaterThan(0);
    expect(expected.errors).toBeGreaterThan(0);

    await Promise.all([a.app.wiring.usage.flush(), b.app.wiring.usage.flush()]);
    for (const interval of ['MINUTE', 'HOUR', 'DAY']) {
      const counted = await totals(id, interval, new Date(Date.now() - 86_400_000).toISOString());
      expect({ interval, requests: counted.requests, errors: counted.errors, rateLimited: counted.rateLimited }).toEqual({ interval, ...expected });
    }
    const minutes = await totals(id, 'MINUTE');
    // Zero-filled, one bucket per minute from the minute holding `since` to now.
    expect(minutes.buckets.length).toBeGreaterThanOrEqual(60);
    const busy = minutes.buckets.filter((bucket) => bucket.requests > 0);
    for (const bucket of busy) expect(bucket.meanLatencyMs).toBeGreaterThan(0);
    expect(minutes.buckets.find((bucket) => bucket.requests === 0)?.meanLatencyMs).toBeNull();
  });

  it('counts what each root field was asked for and how often it failed', async () => {
    const { key, id } = await issueKey(a, admin, { scopes: ['read:clientkeys', 'write:clientkeys'], rateLimitPerMinute: 1000 });
    await a.gql('{ viewer { id } clientKeys { totalCount } }', {}, { key });
    await b.gql('{ viewer { id } }', {}, { key });
    await b.gql('{ users { totalCount } }', {}, { key });
    await a.gql('mutation { createClientKey(input: { name: "child", scopes: ["read:clientkeys"] }) { key } }', {}, { key });
    await a.gql('mutation { revokeClientKey(id: "not-a-uuid") { id } }', {}, { key });
    await Promise.all([a.app.wiring.usage.flush(), b.app.wiring.usage.flush()]);

    const res = await a.gql(BY_FIELD, { id, since: hourAgo() }, admin);
    expect(res.errors).toBeUndefined();
    const byField = Object.fromEntries(res.data.clientKey.usageByField.map((f: any) => [f.coordinate, { requests: f.requests, errors: f.errors }]));
    expect(byField).toEqual({
      'Query.viewer': { requests: 2, errors: 0 },
      'Query.clientKeys': { requests: 1, errors: 0 },
      'Query.users': { requests: 1, errors: 1 },
      'Mutation.createClientKey': { requests: 1, errors: 0 },
      'Mutation.revokeClientKey': { requests: 1, errors: 1 },
    });
    expect(res.data.clientKey.usageByField[0].coordinate).toBe('Query.viewer');
  });

  it('is visible within 10 seconds without a manual flush', async () => {
    const { key, id } = await issueKey(a, admin, { scopes: ['read:clientkeys'], rateLimitPerMinute: 1000 });
    await a.gql(VIEWER, {}, admin);
    await a.gql(VIEWER);
    await a.gql(VIEWER, {}, { key });
    await b.gql(VIEWER, {}, { key });
    let seen = 0;
    await until('both requests are counted', async () => (seen = (await totals(id, 'HOUR')).requests) === 2, 10_000).catch(() => undefined);
    expect(seen).toBe(2);
    const { rows } = await countRows(a);
    expect(rows).toBeGreaterThan(0);
  });

  it('counts every way of sending a request: GET, POST with either JSON media type, a validation failure', async () => {
    const { key, id } = await issueKey(a, admin, { scopes: ['read:clientkeys'], rateLimitPerMinute: 1000 });
    const query = encodeURIComponent('{ viewer { id } }');
    const get = await fetch(`${a.url}/graphql?query=${query}`, {
      headers: { 'x-client-key': key, accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    const post = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { 'x-client-key': key, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ viewer { nope } }' }),
    });
    expect(post.status).toBe(400);
    await a.gql(VIEWER, {}, { key });
    await a.app.wiring.usage.flush();
    const counted = await totals(id, 'DAY', new Date(Date.now() - 86_400_000).toISOString());
    expect({ requests: counted.requests, errors: counted.errors, rateLimited: counted.rateLimited }).toEqual({ requests: 3, errors: 1, rateLimited: 0 });
  });

  it('writes what it counted when an instance shuts down', async () => {
    const c = await startTestApp({ db: a.db });
    const { key, id } = await issueKey(c, admin, { scopes: ['read:clientkeys'], rateLimitPerMinute: 1000 });
    for (let i = 0; i < 3; i++) await c.gql(VIEWER, {}, { key });
    await c.close();
    expect((await totals(id, 'DAY')).requests).toBe(3);
  });

  it('refuses periods that are reversed or too finely divided', async () => {
    const { id } = await issueKey(a, admin, { scopes: ['read:clientkeys'] });
    const now = new Date().toISOString();
    const reversed = await a.gql(USAGE, { id, since: now, until: hourAgo() }, admin);
    expect(reversed.code).toBe('BAD_USER_INPUT');
    expect(reversed.errors?.[0].extensions?.field).toBe('until');
    const tooMany = await a.gql(USAGE, { id, since: new Date(Date.now() - 30 * 86_400_000).toISOString(), interval: 'MINUTE' }, admin);
    expect(tooMany.code).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0].extensions?.field).toBe('since');
  });
});

async function countRows(t: TestApp): Promise<{ rows: number }> {
  const [{ n }] = await t.app.dataSource.query('SELECT count(*)::int AS n FROM key_usage');
  return { rows: n };
}
