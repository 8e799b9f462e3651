import fc from 'fast-check';
import { encodeCursor } from '../../src/common/pagination';
import { AUDIT, CREATE_KEY, LIST_KEYS } from '../support/documents';
import { type GraphQLResult } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

/** JSON text of a value nested `depth` levels deep (too deep for JSON.stringify), as a client would send it. */
function nestedJson(depth: number, shape: 'list' | 'object', leaf: unknown = 'x'): string {
  const [open, close] = shape === 'list' ? ['[', ']'] : ['{"a":', '}'];
  return `${open.repeat(depth)}${JSON.stringify(leaf)}${close.repeat(depth)}`;
}

/** POSTs a body whose variables are given as JSON text. */
async function postRaw(url: string, query: string, variablesJson: string, headers: Record<string, string> = {}): Promise<GraphQLResult> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`,
  });
  const body = (await res.json()) as { errors?: GraphQLResult['errors']; data?: unknown };
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors, code: body.errors?.[0]?.extensions?.code };
}

function expectClientError(res: GraphQLResult, code?: string) {
  expect(res.status).toBeLessThan(500);
  expect(res.errors?.length).toBeGreaterThan(0);
  for (const error of res.errors ?? []) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  if (code) expect(res.code).toBe(code);
}

const USERS = `query($first: Int, $after: String) { users(first: $first, after: $after) { totalCount nodes { id } pageInfo { endCursor hasNextPage } } }`;

describe('hostile input never reaches an internal error', () => {
  let t: TestApp;
  let admin: { token: string; refreshToken: string; userId: string };
  let keyId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    keyId = (await issueKey(t, admin, { scopes: ['read:audit'] })).id;
  });
  afterAll(() => t.close());

  describe('nesting a client chooses the depth of', () => {
    it('refuses variables nested thousands of levels deep with BAD_USER_INPUT (anonymous and signed in, new and remembered queries)', async () => {
      const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
      const remembered = `${LIST_KEYS} # remembered`;
      expect((await t.gql(remembered, {}, admin)).errors).toBeUndefined();
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 3_000, max: 8_000 }),
          fc.constantFrom('list' as const, 'object' as const),
          fc.constantFrom('x', 'a\u0000', 7),
          async (depth, shape, leaf) => {
            const deep = nestedJson(depth, shape, leaf);
            const auth = { authorization: `Bearer ${admin.token}` };
            expectClientError(await postRaw(t.url, login, `{"e":${deep},"p":"password-1"}`), 'BAD_USER_INPUT');
            expectClientError(await postRaw(t.url, CREATE_KEY, `{"i":{"name":"deep","scopes":["read:audit"],"description":${deep}}}`, auth), 'BAD_USER_INPUT');
            expectClientError(await postRaw(t.url, remembered, `{"status":${deep}}`, auth), 'BAD_USER_INPUT');
            // Variables the operation does not declare are walked too, and must not crash anything.
            expect((await postRaw(t.url, '{ viewer { kind } }', `{"unused":${deep}}`, auth)).status).toBeLessThan(500);
          },
        ),
        { numRuns: 6 },
      );
      // As deep as the body limit allows.
      const deepest = await postRaw(t.url, CREATE_KEY, `{"i":{"name":"deep","scopes":["read:audit"],"description":${nestedJson(150_000, 'object')}}}`, {
        authorization: `Bearer ${admin.token}`,
      });
      expectClientError(deepest, 'BAD_USER_INPUT');
    }, 120_000);

    it('refuses literals nested thousands of levels deep as a client error, never a 500', async () => {
      for (const depth of [4_000, 10_000]) {
        const list = `{ clientKeys(status: ${'['.repeat(depth)}ACTIVE${']'.repeat(depth)}) { totalCount } }`;
        const object = `mutation { createClientKey(input: ${'{ name: '.repeat(depth)}"x"${' }'.repeat(depth)}) { key } }`;
        const selection = `{ ${'clientKeys { nodes { owner { '.repeat(depth / 4)}id${' } } }'.repeat(depth / 4)} }`;
        for (const query of [list, object, selection]) expectClientError(await t.gql(query, {}, admin));
      }
    });
  });

  describe('lone UTF-16 surrogates', () => {
    /** A string holding one unpaired surrogate somewhere, around text a client might send. */
    const withLoneSurrogate = fc
      .tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 20 }), fc.boolean())
      .map(
        ([before, unit, after, secretLike]) =>
          `${secretLike ? 'kg_' : ''}${before.replace(/[\uD800-\uDFFF]/g, '')}${String.fromCharCode(unit)}${after.replace(/[\uD800-\uDFFF]/g, '')}`,
      )
      .filter((s) => /[\uD800-\uDFFF]/u.test(s));

    const cases: Array<{ name: string; document: string; field: string; variables: (bad: string) => Record<string, unknown>; anonymous?: boolean }> = [
      {
        name: 'login email',
        document: 'mutation($x: String!) { login(email: $x, password: "password-1") { accessToken } }',
        field: 'email',
        variables: (bad) => ({ x: bad }),
        anonymous: true,
      },
      {
        name: 'login password',
        document: 'mutation($x: String!) { login(email: "a@b.co", password: $x) { accessToken } }',
        field: 'password',
        variables: (bad) => ({ x: bad }),
        anonymous: true,
      },
      {
        name: 'refreshToken',
        document: 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
        field: 'refreshToken',
        variables: (bad) => ({ t: bad }),
        anonymous: true,
      },
      {
        name: 'createUser email',
        document: 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
        field: 'email',
        variables: (bad) => ({ i: { email: bad, password: 'password-1', role: 'MEMBER' } }),
      },
      {
        name: 'createUser password',
        document: 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
        field: 'password',
        variables: (bad) => ({ i: { email: 'x@example.com', password: `password-1${bad}`, role: 'MEMBER' } }),
      },
      { name: 'createClientKey name', document: CREATE_KEY, field: 'name', variables: (bad) => ({ i: { name: bad, scopes: ['read:audit'] } }) },
      {
        name: 'createClientKey description',
        document: CREATE_KEY,
        field: 'description',
        variables: (bad) => ({ i: { name: 'n', description: bad, scopes: ['read:audit'] } }),
      },
      { name: 'createClientKey scopes', document: CREATE_KEY, field: 'scopes', variables: (bad) => ({ i: { name: 'n', scopes: ['read:audit', bad] } }) },
      {
        name: 'updateClientKey name',
        document: 'mutation($id: ID!, $i: UpdateClientKeyInput!) { updateClientKey(id: $id, input: $i) { id } }',
        field: 'name',
        variables: (bad) => ({ id: keyId, i: { name: bad } }),
      },
      {
        name: 'revokeClientKey reason',
        document: 'mutation($id: ID!, $r: String) { revokeClientKey(id: $id, reason: $r) { id } }',
        field: 'reason',
        variables: (bad) => ({ id: keyId, r: bad }),
      },
      { name: 'clientKey id', document: 'query($k: ID!) { clientKey(id: $k) { id } }', field: 'id', variables: (bad) => ({ k: bad }) },
      { name: 'auditEvents action', document: AUDIT, field: 'action', variables: (bad) => ({ action: bad }) },
      { name: 'users after', document: USERS, field: 'after', variables: (bad) => ({ after: bad }) },
    ];

    it.each(cases)(
      'refuses one in $name as BAD_USER_INPUT naming "$field", before touching the database',
      async ({ document, field, variables, anonymous }) => {
        const caller = anonymous ? {} : admin;
        // Warm whatever the caller's authentication reads, so that any SQL below would be the operation's own.
        await t.gql('{ __typename }', {}, caller);
        t.takeQueries();
        await fc.assert(
          fc.asyncProperty(withLoneSurrogate, async (bad) => {
            const res = await t.gql(document, variables(bad), caller);
            expectClientError(res, 'BAD_USER_INPUT');
            expect(res.errors?.[0].extensions?.field).toBe(field);
            // The message names the field and the problem, never the value.
            expect(res.errors?.[0].message).not.toContain(bad);
          }),
          { numRuns: 15 },
        );
        expect(t.takeQueries()).toEqual([]);
        // The key it would have changed is untouched.
        const key = await t.gql('query($id: ID!) { clientKey(id: $id) { name status } }', { id: keyId }, admin);
        expect(key.data.clientKey).toEqual({ name: 'test key', status: 'ACTIVE' });
      },
      60_000,
    );

    it('names only fields the schema defines, never a key the client made up', async () => {
      const secret = `kg_${'Q'.repeat(40)}`;
      for (const variables of [
        { i: { name: 'n', scopes: ['read:audit'], [secret]: 'x\ud800' } },
        { i: { name: 'n', scopes: ['read:audit'], [secret]: { [`${secret}2`]: '\u0000' } } },
      ]) {
        const res = await t.gql(CREATE_KEY, variables, admin);
        expectClientError(res, 'BAD_USER_INPUT');
        expect(JSON.stringify(res.errors)).not.toContain(secret.slice(0, 20));
      }
      const deep = await postRaw(t.url, CREATE_KEY, `{"i":{"name":"n","scopes":["read:audit"],"description":"d","${secret}":${nestedJson(100, 'object')}}}`, {
        authorization: `Bearer ${admin.token}`,
      });
      expectClientError(deep, 'BAD_USER_INPUT');
      expect(deep.errors?.[0].extensions?.field).toBe('input');
      expect(JSON.stringify(deep.errors)).not.toContain(secret.slice(0, 20));
    });

    it('still accepts surrogate pairs (emoji) in the same fields', async () => {
      const res = await t.gql(CREATE_KEY, { i: { name: 'rocket \u{1F680}', description: '\u{1F600}', scopes: ['read:audit'] } }, admin);
      expect(res.errors).toBeUndefined();
      expect(res.data.createClientKey.clientKey.name).toBe('rocket \u{1F680}');
    });
  });

  describe('forged cursors', () => {
    const lists: Array<[string, string, (data: any) => unknown]> = [
      ['clientKeys', LIST_KEYS, (d) => d.clientKeys],
      ['users', USERS, (d) => d.users],
      ['auditEvents', AUDIT, (d) => d.auditEvents],
    ];
    const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const uuid = '6f1d1a3c-1c1e-4c7e-9d3b-3b0b4b0f7a11';
    const anyDate = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString());
    const cursorPart = fc.oneof(
      anyDate,
      fc.constant(uuid),
      fc.constant('-'.repeat(36)),
      fc.uuid(),
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 2 }),
    );
    const forged = fc.oneof(
      fc.constantFrom(
        b64([new Date(-8.64e15).toISOString(), uuid]),
        b64([new Date(8.64e15).toISOString(), uuid]),
        b64(['2024-01-01T00:00:00.000Z', '-'.repeat(36)]),
        b64(['0000-01-01T00:00:00.000Z', uuid]),
        b64(['2024-02-30T00:00:00.000Z', uuid]),
        b64(['2024-01-01T00:00:00.000Z', 'G'.repeat(8) + uuid.slice(8)]),
        b64('null'),
        b64('{}'),
        b64('[1]'),
        '!!!',
        '====',
        'a'.repeat(10_000),
      ),
      fc.tuple(cursorPart, cursorPart).map(b64),
      fc.tuple(anyDate, fc.uuid()).map(b64),
      fc.string({ maxLength: 200 }),
      fc.base64String({ maxLength: 120 }),
    );

    it.each(lists)(
      '%s: every cursor is either a valid position or BAD_USER_INPUT on "after"',
      async (_name, document, connection) => {
        await fc.assert(
          fc.asyncProperty(forged, async (after) => {
            const res = await t.gql(document, { after }, admin);
            expect(res.status).toBeLessThan(500);
            if (res.errors) {
              expect(res.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
              if (after.length >= 8) expect(res.errors[0].message).not.toContain(after);
            } else {
              expect(connection(res.data)).toHaveProperty('nodes');
            }
          }),
          { numRuns: 80 },
        );
      },
      120_000,
    );

    it('keeps accepting the cursors it hands out', async () => {
      const first = await t.gql(LIST_KEYS, { first: 1 }, admin);
      const next = await t.gql(LIST_KEYS, { first: 1, after: first.data.clientKeys.pageInfo.endCursor }, admin);
      expect(next.errors).toBeUndefined();
      const own = encodeCursor({ createdAt: new Date('2999-12-31T23:59:59.999Z'), id: uuid.toUpperCase() });
      expect((await t.gql(LIST_KEYS, { after: own }, admin)).errors).toBeUndefined();
    });
  });
});
