import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A variable with a default may stand where a non-null value is wanted (`$v: Boolean = true` in
 * `@include(if:)`), so an explicit `"v": null` passes validation and puts a null there. That is the
 * client's mistake: a request error, never an internal error, wherever the use sits.
 */
describe('a defaulted variable sent as null where a non-null value is wanted', () => {
  let t: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    admin = await t.login();
  });
  afterAll(() => t.close());

  const MESSAGE = 'Argument "if" of non-null type "Boolean!" must not be null.';

  const cases: Array<{ name: string; query: string; anonymous?: boolean }> = [
    { name: 'on a root field, anonymously', query: 'query($v: Boolean = true) { __typename @include(if: $v) }', anonymous: true },
    { name: 'on a public mutation, anonymously', query: 'mutation($v: Boolean = false) { logout(refreshToken: "x") @skip(if: $v) }', anonymous: true },
    { name: 'below the root', query: 'query($v: Boolean = true) { viewer { kind @include(if: $v) } }' },
    { name: 'on an inline fragment', query: 'query($v: Boolean = true) { viewer { ... @skip(if: $v) { kind } } }' },
    { name: 'inside a named fragment', query: 'query($v: Boolean = true) { ...F } fragment F on Query { viewer { kind @include(if: $v) } }' },
    { name: 'under a field another condition skips', query: 'query($v: Boolean = true) { viewer @skip(if: true) { kind @include(if: $v) } __typename }' },
  ];

  it.each(cases)('as a @skip / @include condition $name is refused as BAD_USER_INPUT, never a 500', async ({ query, anonymous }) => {
    const res = await t.gql(query, { v: null }, anonymous ? {} : admin);
    expect(res.status).toBeLessThan(500);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]).toMatchObject({ message: MESSAGE, extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.data).toBeUndefined();
  });

  it('is answered 400 to a client that accepts the GraphQL response type', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: 'query($v: Boolean = true) { __typename @include(if: $v) }', variables: { v: null } }),
    });
    expect(res.status).toBe(400);
  });

  it('still takes the default when the variable is left out, and other nulls as before', async () => {
    const query = 'query($v: Boolean = true, $first: Int) { __typename @include(if: $v) clientKeys(first: $first) { totalCount } }';
    const res = await t.gql(query, { first: null }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __typename: 'Query', clientKeys: { totalCount: expect.any(Number) } });
    // A variable that does not coerce keeps graphql-js's own error, which comes first.
    const wrong = await t.gql(
      'query($v: Boolean = true, $n: Int) { __typename @include(if: $v) clientKeys(first: $n) { totalCount } }',
      { v: null, n: 'x' },
      admin,
    );
    expect(wrong.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0].message).toMatch(/^Variable "\$n" got an invalid value/);
  });

  const SECRET = 'kg_SECRETinTheLiteral0123456789';
  const uses: Array<{ name: string; query: string; variables: Record<string, unknown>; message: string; anonymous?: boolean }> = [
    {
      name: 'a non-null argument, anonymously',
      query: 'mutation($e: String = "a@b.co") { login(email: $e, password: "abcdefgh") { accessToken } }',
      variables: { e: null },
      message: 'Argument "email" of non-null type "String!" must not be null.',
      anonymous: true,
    },
    {
      name: 'a non-null argument',
      query: 'mutation($id: ID = "00000000-0000-0000-0000-000000000000") { deleteClientKey(id: $id) }',
      variables: { id: null },
      message: 'Argument "id" of non-null type "ID!" must not be null.',
    },
    {
      name: 'an input field, next to a secret in the literal',
      query: `mutation($n: String = "n") { createClientKey(input: { name: $n, scopes: ["read:audit"], description: "${SECRET}" }) { key } }`,
      variables: { n: null },
      message: 'Variable "$n" must not be null where a value of type "String!" is expected.',
    },
    {
      name: 'a list item',
      query: 'mutation($s: String = "read:audit") { createClientKey(input: { name: "n", scopes: [$s] }) { key } }',
      variables: { s: null },
      message: 'Variable "$s" must not be null where a value of type "String!" is expected.',
    },
  ];

  it.each(uses)('in $name is refused as BAD_USER_INPUT before anything runs, quoting nothing', async ({ query, variables, message, anonymous }) => {
    const caller = anonymous ? {} : admin;
    await t.gql('{ __typename }', {}, caller);
    t.takeQueries();
    const res = await t.gql(query, variables, caller);
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.data).toBeUndefined();
    expect(t.takeQueries()).toEqual([]);
    expect(t.logs()).not.toContain('SECRETinTheLiteral');
  });
});
