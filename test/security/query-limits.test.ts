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
    const fields = Array.from(
      { length: 14 },
      (_, i) => `a${i}: clientKeys(first: 100) { nodes { id name scopes keyPrefix owner { id email role createdAt } } }`,
    ).join(' ');
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
    const batch = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
  });
});

describe('bounded work per document, before anything runs', () => {
  let t: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });
  afterAll(() => t.close());

  const post = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as { errors?: Array<{ message: string; extensions: { code: string } }>; data?: unknown } };
  };

  it('stops parsing past the token limit, even for a body just under the size limit', async () => {
    const fields = (n: number) => `{ ${Array.from({ length: n }, () => '__typename').join(' ')} }`;
    // At the limit the parser accepts it (graphql-js's own budget for comparing fields then refuses 998 of them).
    expect((await post(fields(QUERY_LIMITS.maxTokens - 2))).body.errors?.[0].extensions.code).not.toBe('GRAPHQL_PARSE_FAILED');
    for (const query of [fields(QUERY_LIMITS.maxTokens), `{ ${'a: __typename '.repeat(60_000)} }`, `query(${'$v: Int '.repeat(100_000)}) { __typename }`]) {
      const res = await post(query);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(res.body.errors?.[0].message).toMatch(/tokens/);
    }
  });

  it('counts __typename like any field in the alias limit', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expect((await post(aliases(QUERY_LIMITS.maxAliases))).body.errors).toBeUndefined();
    const res = await post(aliases(QUERY_LIMITS.maxAliases + 1));
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].message).toMatch(/Aliases limit/);
  });

  it('limits directives and variable definitions', async () => {
    const directives = (n: number) => `{ ${Array.from({ length: n }, () => '__typename @skip(if: false)').join(' ')} }`;
    expect((await post(directives(QUERY_LIMITS.maxDirectives))).body.errors).toBeUndefined();
    const tooMany = await post(directives(QUERY_LIMITS.maxDirectives + 1));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0].message).toMatch(/Directives limit/);

    const variables = (n: number) => `query(${Array.from({ length: n }, (_, i) => `$v${i}: Int`).join(' ')}) { __typename }`;
    const declared = await post(variables(QUERY_LIMITS.maxVariables + 1));
    expect(declared.status).toBe(400);
    expect(declared.body.errors?.map((e) => e.message)).toContainEqual(expect.stringMatching(/Variables limit/));
  });

  it('takes its limits from the configuration', async () => {
    const strict = await startTestApp({ db: t.db, env: { GRAPHQL_MAX_TOKENS: '100', GRAPHQL_MAX_DIRECTIVES: '1', GRAPHQL_MAX_VARIABLES: '1' } });
    try {
      const tokens = await strict.gql(`{ ${'__typename '.repeat(101)} }`);
      expect(tokens.errors?.[0].message).toMatch(/100 tokens/);
      const directives = await strict.gql('{ a: __typename @skip(if: false) b: __typename @skip(if: false) }');
      expect(directives.errors?.[0].message).toMatch(/Directives limit of 1/);
      const variables = await strict.gql(
        'query($a: Int, $b: Int) { a: clientKeys(first: $a) { totalCount } b: clientKeys(first: $b) { totalCount } }',
        {},
        admin,
      );
      expect(variables.errors?.map((e) => e.message)).toContainEqual(expect.stringMatching(/Variables limit of 1/));
    } finally {
      await strict.close();
    }
  });
});
