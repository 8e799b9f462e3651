import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { buildSchema, GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../src/context/graphql-context';
import { PreparedQueries, type PreparedQueriesOptions } from '../../src/execution/prepared-queries';
import { QUERY_LIMITS } from '../../src/server/create-apollo';
import { GET_KEY, REVOKE_KEY, VIEWER } from '../support/documents';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers whose values legitimately differ between two identical requests. */
const VARYING = new Set(['date', 'ratelimit', 'keep-alive']);

describe('prepared queries: repeated queries skip Apollo, answers stay the same', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });
  afterAll(() => t.close());

  async function post(body: Record<string, unknown>, key: string, accept?: string): Promise<RawResponse> {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-client-key': key, ...(accept ? { accept } : {}) },
      body: JSON.stringify(body),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!VARYING.has(name)) headers[name] = value;
    });
    return { status: res.status, headers, body: await res.text() };
  }

  /** Sends the same request twice and returns both answers with how many the prepared lane served. */
  async function twice(body: Record<string, unknown>, key: string, accept?: string) {
    const before = t.app.preparedQueries.served;
    const first = await post(body, key, accept);
    const second = await post(body, key, accept);
    return { first, second, served: t.app.preparedQueries.served - before };
  }

  it('answers a query seen before without Apollo, with the same status, headers and body', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const { first, second, served } = await twice({ query: VIEWER }, key);
    expect(served).toBe(1);
    expect(second).toEqual(first);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(first.body).data.viewer.kind).toBe('CLIENT_KEY');
  });

  it('answers graphql-response+json clients and null operation names and variables the same way', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const media = await twice({ query: '{ viewer { id kind } }' }, key, 'application/graphql-response+json');
    expect(media.served).toBe(1);
    expect(media.second).toEqual(media.first);
    expect(media.first.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');

    const nulls = await twice({ query: '{ viewer { kind id keyPrefix } }', operationName: null, variables: null }, key);
    expect(nulls.served).toBe(1);
    expect(nulls.second).toEqual(nulls.first);
    expect(JSON.parse(nulls.first.body).data.viewer.kind).toBe('CLIENT_KEY');
  });

  it('never remembers a document the query limits refuse', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    let selection = 'id';
    for (let i = 0; i < QUERY_LIMITS.maxDepth + 2; i++) selection = `owner { ${selection} }`;
    const deep = await twice({ query: `{ clientKeys { nodes { ${selection} } } }` }, key);
    expect(deep.served).toBe(0);
    expect(deep.second).toEqual(deep.first);
    expect(JSON.parse(deep.first.body).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('still checks every key and every scope', async () => {
    const query = { query: '{ clientKeys(first: 1) { nodes { id } } }' };
    const allowed = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const { served } = await twice(query, allowed.key);
    expect(served).toBe(1);

    const unscoped = await issueKey(t, admin, { scopes: ['read:users'] });
    const refused = await twice(query, unscoped.key);
    expect(refused.served).toBe(0);
    expect(refused.second).toEqual(refused.first);
    expect(refused.first.status).toBe(200);
    expect(JSON.parse(refused.first.body).errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [['read:clientkeys']] });

    await t.gql(REVOKE_KEY, { id: allowed.id, r: 'test' }, admin);
    const revoked = await post(query, allowed.key);
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('gives a failing query the answer Apollo gives, every time', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    const missing = await twice({ query: GET_KEY, variables: { id: '00000000-0000-4000-8000-000000000000' } }, key);
    expect(missing.served).toBe(0);
    expect(missing.second).toEqual(missing.first);
    expect(JSON.parse(missing.first.body).errors[0].extensions.code).toBe('NOT_FOUND');

    const badVariable = await twice({ query: 'query($n: Int) { clientKeys(first: $n) { nodes { id } } }', variables: { n: 'ten' } }, key);
    expect(badVariable.served).toBe(0);
    expect(badVariable.second).toEqual(badVariable.first);
    expect(JSON.parse(badVariable.first.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses NUL characters in the variables of a remembered query', async () => {
    const { key, id } = await issueKey(t, admin, { scopes: ['read:clientkeys'] });
    // A document of this test's own, so the first request is the one that teaches it.
    const query = `${GET_KEY} # NUL test`;
    const { served } = await twice({ query, variables: { id } }, key);
    expect(served).toBe(1);
    const res = await post({ query, variables: { id: `${id}\u0000` } }, key);
    expect(JSON.parse(res.body).errors[0]).toMatchObject({ message: 'id: must not contain the NUL character', extensions: { code: 'BAD_USER_INPUT' } });

    const literal = await twice({ query: '{ clientKey(id: "a\\u0000") { id } }' }, key);
    expect(literal.served).toBe(0);
    expect(literal.second).toEqual(literal.first);
    expect(JSON.parse(literal.first.body).errors[0]).toMatchObject({ message: 'query: must not contain the NUL character', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('runs mutations through Apollo, exactly once each', async () => {
    const { key } = await issueKey(t, admin, { scopes: ['read:clientkeys', 'write:clientkeys'] });
    const document = `query Count { clientKeys(first: 1) { totalCount } }
      mutation Create { createClientKey(input: { name: "made by a shared document", scopes: ["read:clientkeys"] }) { clientKey { id } } }`;
    const count = async () => JSON.parse((await post({ query: document, operationName: 'Count' }, key)).body).data.clientKeys.totalCount as number;

    const before = t.app.preparedQueries.served;
    const initial = await count();
    expect(await count()).toBe(initial);
    expect(t.app.preparedQueries.served - before).toBe(1);

    const servedBeforeMutation = t.app.preparedQueries.served;
    const created = await post({ query: document, operationName: 'Create' }, key);
    expect(t.app.preparedQueries.served).toBe(servedBeforeMutation);
    expect(JSON.parse(created.body)).toMatchObject({ data: { createClientKey: { clientKey: { id: expect.any(String) } } } });
    expect(await count()).toBe(initial + 1);

    const unknown = await twice({ query: document, operationName: 'Nope' }, key);
    expect(unknown.served).toBe(0);
    expect(unknown.second).toEqual(unknown.first);
    expect(JSON.parse(unknown.first.body).errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(await count()).toBe(initial + 1);
  });
});

describe('prepared queries: what is remembered', () => {
  const schema = buildSchema('type Query { hello(name: String): String } type Mutation { hello: String }');
  const contextValue = {} as GraphQLContext;
  const refusing: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          if (operationName === 'Refused') throw new GraphQLError('refused by policy');
        },
      };
    },
  };
  let apollo: ApolloServer<GraphQLContext>;
  let prepared: PreparedQueries;

  /** A small Apollo Server with the lane's plugin: what it executes is remembered. */
  async function start(options: PreparedQueriesOptions = {}) {
    prepared = new PreparedQueries(schema, options);
    apollo = new ApolloServer<GraphQLContext>({ schema, plugins: [refusing, prepared.plugin] });
    await apollo.start();
  }
  afterEach(() => apollo.stop());

  const viaApollo = (query: string) => apollo.executeOperation({ query }, { contextValue });
  const direct = (query: string) => prepared.run(query, undefined, undefined, contextValue);

  it('keeps the query documents Apollo executed, and nothing it refused', async () => {
    await start();
    await viaApollo('{ hello }');
    expect(direct('{ hello }')).toEqual({ data: { hello: null } });
    expect(direct('{ hello(name: "x") }')).toBeUndefined();

    await viaApollo('mutation { hello }');
    expect(direct('mutation { hello }')).toBeUndefined();

    await viaApollo('{ nope }');
    expect(direct('{ nope }')).toBeUndefined();

    await viaApollo('query Refused { hello }');
    expect(direct('query Refused { hello }')).toBeUndefined();
  });

  it('stays within its memory budget, oldest first', async () => {
    // 120 bytes per source character: room for about 400 characters, none over 50 alone.
    await start({ maxBytes: 120 * 400 });
    const doc = (n: number) => `{ a${n}: hello(name: "${'x'.repeat(20)}") }`;
    for (let n = 10; n < 20; n++) await viaApollo(doc(n));
    expect(doc(10).length * 10).toBeGreaterThan(400);
    expect(direct(doc(10))).toBeUndefined();
    expect(direct(doc(19))).toEqual({ data: { a19: null } });

    const large = `{ big: hello(name: "${'x'.repeat(40)}") }`;
    await viaApollo(large);
    expect(direct(large)).toBeUndefined();
    expect(direct(doc(19))).toEqual({ data: { a19: null } });
  });
});
