import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/wait';

/** The access lines in what the app logged (JSON lines), oldest first. */
function accessLines(t: TestApp): Array<Record<string, unknown>> {
  return t
    .logs()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((line) => line.path !== undefined && line.status !== undefined && line.ms !== undefined);
}

describe('access log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
  });
  afterAll(() => t.close());

  it('writes one line per request: method, path, status, duration, caller kind and key prefix, operation name; no secrets or variables', async () => {
    const { token } = await t.login();
    const { key } = await issueKey(t, { token }, { scopes: ['read:clientkeys'], rateLimitPerMinute: 3 });
    const before = accessLines(t).length;

    const query = 'query MyKeys($first: Int) { clientKeys(first: $first) { totalCount } }';
    await t.gql(query, { first: 7 }, { key });
    await t.gql(query, { first: 7 }, { key }); // the second run takes the prepared-query lane
    await t.gql('mutation SignIn($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
      e: 'nobody@example.com',
      p: 'secret-password-1',
    });
    await t.gql('{ viewer { kind } }', {}, { key: 'kg_not-a-real-key' });
    await t.gql(query, { first: 7 }, { key });
    await t.gql(query, { first: 7 }, { key }); // over the limit of 3
    await fetch(`${t.url}/healthz?key=${key}`);
    // Lines are written when each response finishes, which the client may see first.
    await until('the seven lines are written', () => accessLines(t).length >= before + 7);

    const lines = accessLines(t).slice(before);
    expect(lines.map((l) => [l.method, l.path, l.status, l.caller, l.keyPrefix, l.operation])).toEqual([
      ['POST', '/graphql', 200, 'CLIENT_KEY', key.slice(0, 11), 'MyKeys'],
      ['POST', '/graphql', 200, 'CLIENT_KEY', key.slice(0, 11), 'MyKeys'],
      ['POST', '/graphql', 401, 'anonymous', undefined, 'SignIn'],
      ['POST', '/graphql', 401, 'anonymous', undefined, undefined],
      ['POST', '/graphql', 200, 'CLIENT_KEY', key.slice(0, 11), 'MyKeys'],
      // The rate limit counts root fields, so it refuses once the operation is known: its name is logged.
      ['POST', '/graphql', 429, 'CLIENT_KEY', key.slice(0, 11), 'MyKeys'],
      ['GET', '/healthz', 200, 'anonymous', undefined, undefined],
    ]);
    for (const line of lines) {
      expect(line.ms).toEqual(expect.any(Number));
      expect(line.level).toBe(30);
    }
    const logged = t.logs();
    for (const secret of [key, token, 'secret-password-1', 'nobody@example.com', key.slice(11)]) expect(logged).not.toContain(secret);
  });

  it("logs only the name of an operation the document defines, never the request's operationName otherwise", async () => {
    const secret = 'kg_SECRETMARKzz';
    const before = accessLines(t).length;
    const post = (body: unknown) => fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const statuses = [
      (await post({ query: 'query A { __typename }', operationName: secret })).status,
      (await post({ query: '{ __typename }', operationName: secret })).status,
      (await post({ query: 'query A { __typename } query B { __typename }', operationName: 'B' })).status,
    ];
    await until('the three lines are written', () => accessLines(t).length >= before + 3);
    expect(statuses.every((s) => s < 500)).toBe(true);
    expect(
      accessLines(t)
        .slice(before)
        .map((l) => l.operation),
    ).toEqual([undefined, undefined, 'B']);
    expect(t.logs()).not.toContain('SECRETMARK');
  });
});
