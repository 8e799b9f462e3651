import { startTestApp, type TestApp } from '../support/test-app';

/**
 * U+0000 written into the document itself, in every spelling graphql-js's lexer accepts. PostgreSQL
 * refuses it in text, so each must be a BAD_USER_INPUT naming the argument or input field, before
 * any SQL runs, never an internal error.
 */
const SPELLINGS = ['\\u{0}', '\\u{00}', '\\u{000000}', '\\u{00000000}', '\\u0000', '\u0000'];

describe('NUL in the document’s own string literals', () => {
  let t: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });
  afterAll(() => t.close());

  const cases: Array<{ name: string; document: (nul: string) => string; field: string; anonymous?: boolean }> = [
    {
      name: 'login email',
      document: (nul) => `mutation { login(email: "x${nul}@a.b", password: "abcdefgh") { accessToken } }`,
      field: 'email',
      anonymous: true,
    },
    {
      name: 'createClientKey name',
      document: (nul) => `mutation { createClientKey(input: { name: "a${nul}b", scopes: ["read:audit"] }) { key } }`,
      field: 'name',
    },
    {
      name: 'createClientKey scopes',
      document: (nul) => `mutation { createClientKey(input: { name: "n", scopes: ["read:audit${nul}"] }) { key } }`,
      field: 'scopes',
    },
    {
      name: 'a variable’s default value',
      document: (nul) => `mutation($e: String = "x${nul}@a.b") { login(email: $e, password: "abcdefgh") { accessToken } }`,
      field: 'email',
      anonymous: true,
    },
  ];

  it.each(cases)('refuses it in $name as BAD_USER_INPUT naming "$field", before touching the database', async ({ document, field, anonymous }) => {
    const caller = anonymous ? {} : admin;
    // Warm whatever the caller's authentication reads, so that any SQL below would be the operation's own.
    await t.gql('{ __typename }', {}, caller);
    t.takeQueries();
    for (const nul of SPELLINGS) {
      const res = await t.gql(document(nul), {}, caller);
      expect({ nul, status: res.status < 500, code: res.code, field: res.errors?.[0].extensions?.field }).toEqual({
        nul,
        status: true,
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    expect(t.takeQueries()).toEqual([]);
  });

  it('refuses a raw NUL in a block string (which takes no escapes) the same way', async () => {
    const res = await t.gql('mutation { createClientKey(input: { name: """a\u0000b""", scopes: ["read:audit"] }) { key } }', {}, admin);
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('refuses lone surrogates written as escapes while parsing, and still takes escaped pairs and astral code points', async () => {
    for (const lone of ['\\u{D800}', '\\u{DFFF}', '\\uD800', '\\uDC00x', '\\u{D83D}\\u{DE80}']) {
      const res = await t.gql(`mutation { createClientKey(input: { name: "a${lone}", scopes: ["read:audit"] }) { key } }`, {}, admin);
      expect(res.status).toBeLessThan(500);
      expect(res.code).toBe('GRAPHQL_PARSE_FAILED');
    }
    for (const [written, name] of [
      ['\\u{1F680}', '\u{1F680}'],
      ['\\uD83D\\uDE80', '\u{1F680}'],
      ['\\u{41}\\u{000042}', 'AB'],
    ]) {
      const res = await t.gql(`mutation { createClientKey(input: { name: "${written}", scopes: ["read:audit"] }) { clientKey { name } } }`, {}, admin);
      expect(res.errors).toBeUndefined();
      expect(res.data.createClientKey.clientKey.name).toBe(name);
    }
  });
});
