import { GET_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import type { RequestOutcome } from '../../src/execution/request-outcome';

/**
 * Every client's request takes the same path: the same operation answers the same whatever
 * Accept header the client sends (none, curl's, Apollo Client 4's, Keygate's own SDK's) and
 * whether it comes as a POST or a GET. The only differences are the ones GraphQL over HTTP asks
 * for: the media type answered, and 200 instead of 400 for a document that fails to parse,
 * validate or coerce when the client accepts only `application/json`.
 */
const SHAPES = {
  'no Accept (curl, autocannon)': undefined,
  'Accept: */*': '*/*',
  'Accept: application/json': 'application/json',
  "Apollo Client 4's Accept": 'application/graphql-response+json,application/json;q=0.9',
  "the SDK's Accept": 'application/graphql-response+json, application/json',
} as const;
type Shape = keyof typeof SHAPES | 'GET with a preflight header';

/** Headers that legitimately differ between two identical requests. */
const VARYING = new Set(['date', 'keep-alive', 'connection']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function send(url: string, shape: Shape, credential: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  let res: Response;
  if (shape === 'GET with a preflight header') {
    const search = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
    res = await fetch(`${url}/graphql?${search}`, { headers: { 'apollo-require-preflight': 'true', ...credential } });
  } else {
    const accept = SHAPES[shape];
    res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}), ...credential },
      body: JSON.stringify({ query, variables }),
    });
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    // The remaining budget and the window's end move between requests; their presence and form do not.
    if (!VARYING.has(name)) headers[name] = name === 'ratelimit' ? value.replace(/r=\d+;t=\d+/, 'r=N;t=N') : name === 'retry-after' ? 'N' : value;
  });
  // What remains of a key's budget changes with every request: the rest of the body must not.
  const body = (await res.text()).replace(/"(remaining|resetSeconds)":\d+/g, '"$1":"N"');
  return { status: res.status, headers, body };
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';

describe('one pipeline for every request shape', () => {
  let t: TestApp;
  let key: string;
  let othersKeyId: string;
  const outcomes: RequestOutcome[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    t.app.graphql.onRequestDone((outcome) => outcomes.push({ ...outcome }));
    const admin = await t.login();
    const member = await t.member('shapes');
    ({ key } = await issueKey(t, member, { scopes: ['read:clientkeys'], rateLimitPerMinute: 1000 }));
    othersKeyId = (await issueKey(t, admin, { scopes: ['read:audit'] })).id;
  });
  afterAll(() => t.close());

  const shapes = (withGet: boolean): Shape[] => [...(Object.keys(SHAPES) as Shape[]), ...(withGet ? (['GET with a preflight header'] as Shape[]) : [])];

  async function everyShape(
    operation: { query: string; variables?: Record<string, unknown>; credential?: () => Promise<Record<string, string>> },
    withGet = true,
  ) {
    const answers = new Map<Shape, Answer>();
    for (const shape of shapes(withGet)) {
      const credential = operation.credential ? await operation.credential() : { 'x-client-key': key };
      answers.set(shape, await send(t.url, shape, credential, operation.query, operation.variables));
    }
    return answers;
  }

  /** Identical bodies everywhere; identical statuses and headers within each media type answered. */
  function expectSameAnswers(answers: Map<Shape, Answer>, documentError = false) {
    const [first, ...rest] = [...answers.values()];
    for (const answer of rest) expect(answer.body).toBe(first.body);
    const byType = new Map<string, Answer[]>();
    for (const answer of answers.values()) byType.set(answer.headers['content-type'], [...(byType.get(answer.headers['content-type']) ?? []), answer]);
    expect([...byType.keys()].sort()).toEqual(['application/graphql-response+json; charset=utf-8', 'application/json; charset=utf-8']);
    for (const group of byType.values()) for (const answer of group) expect(answer).toEqual(group[0]);
    const json = byType.get('application/json; charset=utf-8')![0];
    const modern = byType.get(GRAPHQL_RESPONSE)![0];
    expect({ ...modern.headers, 'content-type': 'x' }).toEqual({ ...json.headers, 'content-type': 'x' });
    if (documentError) {
      expect(json.status).toBe(200);
      expect(modern.status).toBe(400);
    } else {
      expect(modern.status).toBe(json.status);
    }
    return { status: json.status, headers: json.headers, body: JSON.parse(first.body) };
  }

  it('answers a successful query the same way', async () => {
    const { status, headers, body } = expectSameAnswers(await everyShape({ query: VIEWER }));
    expect(status).toBe(200);
    expect(body.data.viewer.kind).toBe('CLIENT_KEY');
    expect(headers['ratelimit-policy']).toBe('"default";q=1000;w=60');
  });

  it('answers NOT_FOUND, FORBIDDEN and a refused key the same way', async () => {
    const missing = expectSameAnswers(await everyShape({ query: GET_KEY, variables: { id: othersKeyId } }));
    expect(missing.status).toBe(200);
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');

    const forbidden = expectSameAnswers(await everyShape({ query: '{ users(first: 1) { nodes { id } } }' }));
    expect(forbidden.status).toBe(200);
    expect(forbidden.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [['read:users']] });

    const refused = expectSameAnswers(await everyShape({ query: VIEWER, credential: async () => ({ 'x-client-key': 'kg_not-a-real-key' }) }));
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'KEY_INVALID' });
  });

  it('answers documents that fail to parse, validate or coerce the same way (200 to application/json-only clients, 400 to others)', async () => {
    const invalid = expectSameAnswers(await everyShape({ query: '{ viewer { nope } }' }), true);
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unparsable = expectSameAnswers(await everyShape({ query: '{ viewer {' }), true);
    expect(unparsable.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const badVariable = expectSameAnswers(
      await everyShape({ query: 'query($n: Int) { clientKeys(first: $n) { totalCount } }', variables: { n: 'ten' } }),
      true,
    );
    expect(badVariable.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a request over its rate limit the same way', async () => {
    const member = await t.member('shapes-limited');
    const answers = await everyShape({
      query: '{ a: viewer { kind } b: viewer { kind } }',
      // A fresh key per shape, with room for one root field: the request needs two.
      credential: async () => ({ 'x-client-key': (await issueKey(t, member, { scopes: ['read:clientkeys'], rateLimitPerMinute: 1 })).key }),
    });
    const { status, headers, body } = expectSameAnswers(answers);
    expect(status).toBe(429);
    expect(headers['retry-after']).toBe('N');
    expect(headers.ratelimit).toBe('"default";r=N;t=N');
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('runs a failing read once: one execution, one database query', async () => {
    // Warm: the key is verified and cached, and the document is in Apollo's store.
    await send(t.url, "Apollo Client 4's Accept", { 'x-client-key': key }, GET_KEY, { id: othersKeyId });
    for (const shape of shapes(true)) {
      t.takeQueries();
      outcomes.length = 0;
      const answer = await send(t.url, shape, { 'x-client-key': key }, GET_KEY, { id: othersKeyId });
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('NOT_FOUND');
      // lastUsedAt is written in the background every few seconds; it is not the request's.
      const queries = t.takeQueries().filter((sql) => !sql.includes('last_used_at = GREATEST'));
      expect({ shape, queries: queries.length }).toEqual({ shape, queries: 1 });
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ rootFields: ['Query.clientKey'], status: 200, rateLimited: false, principal: { kind: 'CLIENT_KEY' } });
    }
  });
});
