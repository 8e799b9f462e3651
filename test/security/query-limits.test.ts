import { QUERY_LIMITS } from '../../src/server/create-apollo';
import { startTestApp, type TestApp } from '../support/test-app';

describe('query limits and hardening', () => {
  let t: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });
  afterAll(() => t.close());

  it('refuses a too-deep query before running it, with a clear message', async () => {
    // The schema's own nesting stops at 4 levels; the limit guards what is sent, valid or not.
    const ok = await t.gql(`{ clientKeys { nodes { owner { email } } } }`, {}, admin);
    expect(ok.errors).toBeUndefined();
    let selection = 'id';
    for (let i = 0; i < QUERY_LIMITS.maxDepth + 2; i++) selection = `owner { ${selection} }`;
    const res = await t.gql(`{ clientKeys { nodes { ${selection} } } }`, {}, admin);
    // 200 for application/json clients (GraphQL over HTTP); 400 under graphql-response+json, below.
    expect(res.status).toBe(200);
    expect(res.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.map((e) => e.message)).toContainEqual(expect.stringMatching(/depth/i));
  });

  it('refuses a too-costly query', async () => {
    const fields = Array.from({ length: 14 }, (_, i) => `a${i}: clientKeys(first: 100) { nodes { id name scopes keyPrefix owner { id email role createdAt } } }`).join(' ');
    const res = await t.gql(`{ ${fields} }`, {}, admin);
    // 200 for application/json clients (GraphQL over HTTP); 400 under graphql-response+json, below.
    expect(res.status).toBe(200);
    expect(res.errors?.map((e) => e.message).join(' ')).toMatch(/cost/i);
  });

  it('answers 400 to clients that accept application/graphql-response+json', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: `{ ${Array.from({ length: 20 }, (_, i) => `v${i}: viewer { kind }`).join(' ')} }` }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/graphql-response+json');
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `v${i}: viewer { kind }`).join(' ');
    const res = await t.gql(`{ ${aliases} }`, {}, admin);
    // 200 for application/json clients (GraphQL over HTTP); 400 under graphql-response+json, below.
    expect(res.status).toBe(200);
    expect(res.errors?.[0].message).toMatch(/alias/i);
  });
});

describe('production hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => t.close());

  it('turns introspection off', async () => {
    const res = await t.gql(`{ __schema { types { name } } }`);
    // 200 for application/json clients (GraphQL over HTTP); 400 under graphql-response+json, below.
    expect(res.status).toBe(200);
    expect(res.errors?.[0].message).toMatch(/introspection/i);
  });

  it('gives no field suggestions', async () => {
    const res = await t.gql(`{ viewr { kind } }`);
    expect(res.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('keeps CSRF prevention on and batching off', async () => {
    const simple = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(simple.status).toBe(400);
    const batch = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }]) });
    expect(batch.status).toBe(400);
  });
});
