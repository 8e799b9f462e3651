import { ForbiddenError } from '../../src/errors/app-errors';
import { describeError } from '../../src/errors/error-policy';
import type { RequestOutcome } from '../../src/execution/request-outcome';
import { postGraphQL } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

/** The hook at the end of every GraphQL request (usage counting, access logs) hears what happened. */
describe('request outcomes', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let outcomes: RequestOutcome[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    t.app.graphql.onRequestDone((outcome) => outcomes.push({ ...outcome }));
    admin = await t.login();
  });
  afterAll(() => t.close());
  beforeEach(() => (outcomes = []));

  const codes = (outcome: RequestOutcome) => outcome.errors.map((e) => describeError(e).code);

  it('tells the caller, the executed root fields, the status and the latency', async () => {
    const { key, id } = await issueKey(t, admin, { scopes: ['read:clientkeys'], rateLimitPerMinute: 3 });
    outcomes = [];
    await postGraphQL(t.url, '{ viewer { id } clientKeys(first: 1) { totalCount } }', {}, { 'x-client-key': key });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      principal: { kind: 'CLIENT_KEY', id },
      rootFields: ['Query.viewer', 'Query.clientKeys'],
      status: 200,
      rateLimited: false,
      errors: [],
    });
    expect(outcomes[0].latencyMs).toBeGreaterThan(0);

    // Two fields do not fit in the one unit left: refused, nothing executed.
    await postGraphQL(t.url, '{ a: viewer { id } b: viewer { id } }', {}, { 'x-client-key': key });
    expect(outcomes[1]).toMatchObject({ principal: { id }, rootFields: [], status: 429, rateLimited: true });
    expect(codes(outcomes[1])).toEqual(['RATE_LIMITED']);
  });

  it('records field errors, refused credentials and refusals made before any GraphQL was read', async () => {
    await t.gql('{ users(first: 1) { nodes { id } } }', {}, { key: (await issueKey(t, admin, { scopes: ['read:audit'] })).key });
    await postGraphQL(t.url, '{ viewer { id } }', {}, { 'x-client-key': 'kg_not-a-key' });
    await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ viewer { id } }')}`); // a GET without a preflight header (CSRF)
    const [forbidden, unauthenticated, csrf] = outcomes.slice(-3);
    expect(forbidden).toMatchObject({ rootFields: ['Query.users'], status: 200 });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    expect(unauthenticated.principal).toBeUndefined();
    expect(unauthenticated.status).toBe(401);
    expect(codes(unauthenticated)).toEqual(['UNAUTHENTICATED']);
    expect(csrf.status).toBe(400);
    expect(codes(csrf)).toEqual(['BAD_REQUEST']);
  });

  it('runs the checks added with onAuthenticated before anything is spent, refusing through the error policy', async () => {
    const { key, id } = await issueKey(t, admin, { scopes: ['read:clientkeys'], rateLimitPerMinute: 5 });
    t.app.graphql.onAuthenticated((principal) => {
      if (principal.id === id) throw new ForbiddenError([], 'Not from this address');
    });
    const refused = await postGraphQL(t.url, '{ viewer { id } }', {}, { 'x-client-key': key });
    expect(refused.status).toBe(403);
    expect(refused.errors).toEqual([{ message: 'Not from this address', extensions: { code: 'FORBIDDEN', requiredScopes: [] } }]);
    expect(outcomes.at(-1)).toMatchObject({ principal: { id }, rootFields: [], status: 403 });
    // Other callers pass.
    expect((await t.gql('{ viewer { id } }', {}, admin)).status).toBe(200);
  });
});
