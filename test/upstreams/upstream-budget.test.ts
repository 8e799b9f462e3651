import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL } from '../support/graphql-client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { type FakeUpstream, startFakeUpstream } from './support/fake-upstream';

/** An upstream whose SDL prices its own fields (a weight written as a string, as some tools print it). */
const GADGETS_SDL = /* GraphQL */ `
  type Query {
    gadgets(first: Int = 5): [Gadget!]! @listSize(slicingArguments: ["first"]) @public
    gizmo: Gizmo @public
  }
  type Gadget {
    id: ID!
    price: Float! @cost(weight: "3")
  }
  type Gizmo {
    id: ID!
  }
`;

/** Upstream fields count against a key's cost budget exactly like Keygate's own (SPEC "Gateway"). */
describe('a key budget spent on upstream fields, priced from SDL and from config', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    const gadgets = [
      { id: 'g1', price: 3 },
      { id: 'g2', price: 4 },
    ];
    upstream = await startFakeUpstream(GADGETS_SDL, { gadgets: () => gadgets, gizmo: () => ({ id: 'z1' }) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-upstream-budget-'));
    fs.writeFileSync(path.join(dir, 'gadgets.graphql'), GADGETS_SDL);
    fs.writeFileSync(
      path.join(dir, 'keygate.yaml'),
      `upstreams:
  - name: gadgets
    url: ${upstream.url}
    schemaFile: ./gadgets.graphql
    costs:
      "Query.gizmo": { weight: 7 }
`,
    );
    t = await startTestApp({ env: { KEYGATE_CONFIG: path.join(dir, 'keygate.yaml') } });
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('estimates from the SDL, charges the actual cost, and prices config costs', async () => {
    const admin = await t.login();
    const { key, id } = await issueKey(t, admin, { scopes: ['read:clientkeys'], rateLimitPerMinute: 100 });
    const set = await t.gql(
      `mutation($id: ID!) { updateClientKey(id: $id, input: { limits: [{ name: "cost", unit: COST, limit: 30, periodSeconds: 3600 }] }) { id } }`,
      { id },
      admin,
    );
    expect(set.errors).toBeUndefined();

    // 4 gadgets asked (slicing argument), each price weighs 3: 1 + 4 x 3 = 13 estimated; 2 came back: 1 + 2 x 3 = 7.
    const first = await postGraphQL(t.url, '{ gadgets(first: 4) { id price } }', {}, { 'x-client-key': key });
    expect(first.status).toBe(200);
    expect(first.data.gadgets).toHaveLength(2);
    expect(first.extensions!.cost).toMatchObject({ estimated: 13, actual: 7 });
    expect(first.extensions!.cost.limits.find((l: { name: string }) => l.name === 'cost')).toMatchObject({ limit: 30, remaining: 23 });

    // The config weighs gizmo 7 more than its object cost of 1.
    const gizmo = await postGraphQL(t.url, '{ gizmo { id } }', {}, { 'x-client-key': key });
    expect(gizmo.extensions!.cost).toMatchObject({ estimated: 8, actual: 8 });

    // The schema default (first: 5) prices an unsliced list: 1 + 5 x 3 = 16 > the 15 left, refused before the upstream is asked.
    const asked = upstream.received.length;
    const refused = await postGraphQL(t.url, '{ gadgets { price } }', {}, { 'x-client-key': key });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost', limitOf: 'KEY' });
    expect(upstream.received.length).toBe(asked);
  });
});
