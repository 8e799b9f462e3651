import { randomBytes } from 'node:crypto';
import { isObjectType } from 'graphql';
import { buildKeygateSchema } from '../../src/schema/build-schema';
import { SCOPES, type Scope } from '../../src/scopes/scope-catalog';
import { type Credentials } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

type CallerName = 'anonymous' | 'member' | 'keyWithoutScope' | 'keyWithScope';
type Guard = { kind: 'public' } | { kind: 'session' } | { kind: 'authenticated' } | { kind: 'scope'; scope: Scope };

interface Case {
  guard: Guard;
  /** Builds the operation for one caller; `owner` is whose resources it should touch. */
  op(owner: Credentials): Promise<{ query: string; variables?: Record<string, unknown> }>;
}

const MEMBER_SCOPES = new Set<Scope>(['read:clientkeys', 'write:clientkeys', 'read:audit']);

/**
 * Every Query and Mutation field against an anonymous caller, a member, a key lacking the
 * field's scope and a key holding it: each gets exactly the expected outcome.
 */
describe('security matrix', () => {
  let t: TestApp;
  let admin: { token: string; userId: string };
  let member: { token: string; userId: string; email: string };
  const keysWith = new Map<Scope, string>();
  const keysWithout = new Map<Scope, string>();

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    member = await t.member('matrix');
    for (const scope of SCOPES) {
      // write:users acts on members only with every scope a member holds (the role ceiling).
      const scopes = scope === 'write:users' ? [scope, ...MEMBER_SCOPES] : [scope];
      keysWith.set(scope, (await issueKey(t, admin, { scopes, rateLimitPerMinute: 10_000 })).key);
      keysWithout.set(scope, (await issueKey(t, admin, { scopes: SCOPES.filter((s) => s !== scope), rateLimitPerMinute: 10_000 })).key);
    }
  });
  afterAll(() => t.close());

  const unique = () => randomBytes(4).toString('hex');
  const newKeyOf = async (owner: Credentials) => {
    // Keys in this matrix belong to the admin; everyone else touches the member's keys.
    const creator = 'key' in owner ? { token: admin.token } : { token: member.token };
    // A key may act only on keys whose every scope it holds (the ceiling): the key holding the
    // field's scope gets a target within it.
    return (await issueKey(t, creator, { scopes: 'key' in owner ? ['write:clientkeys'] : ['read:audit'] })).id;
  };
  const newUser = async () =>
    (
      await t.gql(
        `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
        { i: { email: `m-${unique()}@example.com`, password: 'password-123' } },
        admin,
      )
    ).data.createUser.id;

  const cases: Record<string, Case> = {
    login: {
      guard: { kind: 'public' },
      op: async () => ({ query: `mutation { login(email: "admin@example.com", password: "admin-password-1") { accessToken } }` }),
    },
    refreshToken: {
      guard: { kind: 'public' },
      op: async () => ({ query: `mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }`, variables: { r: (await t.login()).refreshToken } }),
    },
    logout: { guard: { kind: 'public' }, op: async () => ({ query: `mutation { logout(refreshToken: "kgr_x") }` }) },
    me: { guard: { kind: 'session' }, op: async () => ({ query: `{ me { id } }` }) },
    viewer: { guard: { kind: 'authenticated' }, op: async () => ({ query: `{ viewer { kind } }` }) },
    scopes: { guard: { kind: 'authenticated' }, op: async () => ({ query: `{ scopes { name } }` }) },
    rateLimit: { guard: { kind: 'authenticated' }, op: async () => ({ query: `{ rateLimit(dryRun: true) { cost } }` }) },
    users: { guard: { kind: 'scope', scope: 'read:users' }, op: async () => ({ query: `{ users { totalCount } }` }) },
    user: {
      guard: { kind: 'scope', scope: 'read:users' },
      op: async () => ({ query: `query($id: ID!) { user(id: $id) { id } }`, variables: { id: admin.userId } }),
    },
    createUser: {
      guard: { kind: 'scope', scope: 'write:users' },
      op: async () => ({
        query: `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
        variables: { i: { email: `c-${unique()}@example.com`, password: 'password-123' } },
      }),
    },
    updateUser: {
      guard: { kind: 'scope', scope: 'write:users' },
      op: async () => ({
        query: `mutation($id: ID!) { updateUser(id: $id, input: { email: "u-${unique()}@example.com" }) { id } }`,
        variables: { id: await newUser() },
      }),
    },
    deleteUser: {
      guard: { kind: 'scope', scope: 'write:users' },
      op: async () => ({ query: `mutation($id: ID!) { deleteUser(id: $id) }`, variables: { id: await newUser() } }),
    },
    clientKeys: { guard: { kind: 'scope', scope: 'read:clientkeys' }, op: async () => ({ query: `{ clientKeys { totalCount } }` }) },
    clientKey: {
      guard: { kind: 'scope', scope: 'read:clientkeys' },
      op: async (o) => ({ query: `query($id: ID!) { clientKey(id: $id) { id } }`, variables: { id: await newKeyOf(o) } }),
    },
    createClientKey: {
      guard: { kind: 'scope', scope: 'write:clientkeys' },
      op: async () => ({ query: `mutation { createClientKey(input: { name: "m", scopes: ["write:clientkeys"] }) { key } }` }),
    },
    updateClientKey: {
      guard: { kind: 'scope', scope: 'write:clientkeys' },
      op: async (o) => ({ query: `mutation($id: ID!) { updateClientKey(id: $id, input: { name: "n" }) { id } }`, variables: { id: await newKeyOf(o) } }),
    },
    adjustClientKeyCredits: {
      guard: { kind: 'scope', scope: 'write:clientkeys' },
      op: async (o) => ({
        query: `mutation($id: ID!) { adjustClientKeyCredits(id: $id, operation: SET, amount: 100) { id } }`,
        variables: { id: await newKeyOf(o) },
      }),
    },
    rotateClientKey: {
      guard: { kind: 'scope', scope: 'write:clientkeys' },
      op: async (o) => ({ query: `mutation($id: ID!) { rotateClientKey(id: $id) { key } }`, variables: { id: await newKeyOf(o) } }),
    },
    revokeClientKey: {
      guard: { kind: 'scope', scope: 'write:clientkeys' },
      op: async (o) => ({ query: `mutation($id: ID!) { revokeClientKey(id: $id) { id } }`, variables: { id: await newKeyOf(o) } }),
    },
    deleteClientKey: {
      guard: { kind: 'scope', scope: 'write:clientkeys' },
      op: async (o) => ({ query: `mutation($id: ID!) { deleteClientKey(id: $id) }`, variables: { id: await newKeyOf(o) } }),
    },
    auditEvents: { guard: { kind: 'scope', scope: 'read:audit' }, op: async () => ({ query: `{ auditEvents { totalCount } }` }) },
  };

  it('covers every Query and Mutation field of the schema', async () => {
    const schema = await buildKeygateSchema();
    const fields = [schema.getQueryType(), schema.getMutationType()].flatMap((type) => (isObjectType(type) ? Object.keys(type.getFields()) : []));
    expect(Object.keys(cases).sort()).toEqual(fields.sort());
  });

  function expected(guard: Guard, caller: CallerName): { status: number; code?: string; requiredScopes?: string[][] } {
    if (guard.kind === 'public') return { status: 200 };
    if (caller === 'anonymous') return { status: 401, code: 'UNAUTHENTICATED' };
    if (guard.kind === 'authenticated') return { status: 200 };
    if (guard.kind === 'session') return caller === 'member' ? { status: 200 } : { status: 200, code: 'FORBIDDEN' };
    if (caller === 'member') return MEMBER_SCOPES.has(guard.scope) ? { status: 200 } : { status: 200, code: 'FORBIDDEN', requiredScopes: [[guard.scope]] };
    if (caller === 'keyWithoutScope') return { status: 200, code: 'FORBIDDEN', requiredScopes: [[guard.scope]] };
    return { status: 200 };
  }

  const callerNames: CallerName[] = ['anonymous', 'member', 'keyWithoutScope', 'keyWithScope'];
  const rows = Object.keys(cases).flatMap((field) => callerNames.map((caller) => [field, caller] as const));

  it.each(rows)('%s as %s', async (field, caller) => {
    const { guard } = cases[field];
    const scope = guard.kind === 'scope' ? guard.scope : 'read:audit';
    const credentials: Credentials =
      caller === 'anonymous' ? {} : caller === 'member' ? { token: member.token } : { key: (caller === 'keyWithScope' ? keysWith : keysWithout).get(scope)! };
    const { query, variables } = await cases[field].op(credentials);
    const res = await t.gql(query, variables, credentials);
    const want = expected(guard, caller);
    expect({ status: res.status, code: res.code }).toEqual({ status: want.status, code: want.code });
    if (!want.code) expect(res.data?.[field]).toBeDefined();
    if (want.requiredScopes) expect(res.errors?.[0].extensions?.requiredScopes).toEqual(want.requiredScopes);
  });
});
