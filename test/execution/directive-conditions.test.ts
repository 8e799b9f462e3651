import { startTestApp, type TestApp } from '../support/test-app';

/**
 * `$v: Boolean = true` may stand where `@include(if:)` wants a `Boolean!`, so an explicit
 * `"v": null` passes validation and makes `if` null. That is the client's mistake: a request error
 * with graphql-js's own message, never an internal error, wherever the condition sits.
 */
describe('a null @skip / @include condition', () => {
  let t: TestApp;
  let admin: { token: string };

  beforeAll(async () => {
    t = await startTestApp();
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

  it.each(cases)('is refused $name as BAD_USER_INPUT, never a 500', async ({ query, anonymous }) => {
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
    const wrong = await t.gql('query($v: Boolean = true, $n: Int) { __typename @include(if: $v) clientKeys(first: $n) { totalCount } }', { v: null, n: 'x' }, admin);
    expect(wrong.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0].message).toMatch(/^Variable "\$n" got an invalid value/);
  });
});
