import { ApolloClient, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';

const KEY = gql`
  fragment KeyParts on ClientKey {
    id
    name
    status
    scopes
    owner {
      id
      email
    }
  }
`;
const LIST = gql`
  ${KEY}
  query Keys {
    clientKeys(first: 10) {
      totalCount
      nodes {
        ...KeyParts
      }
    }
  }
`;
const CREATE = gql`
  ${KEY}
  mutation Create($input: CreateClientKeyInput!) {
    createClientKey(input: $input) {
      key
      clientKey {
        ...KeyParts
      }
    }
  }
`;
const RENAME = gql`
  mutation Rename($id: ID!, $name: String!) {
    updateClientKey(id: $id, input: { name: $name }) {
      id
      name
    }
  }
`;

function apollo(url: string, headers: Record<string, string>) {
  return new ApolloClient({ link: new HttpLink({ uri: `${url}/graphql`, headers, fetch }), cache: new InMemoryCache() });
}

/** Apollo Client (core, no React) against a live Keygate: what frontends actually use. */
describe('Apollo Client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('runs queries and mutations with a user session and normalises the cache by id', async () => {
    const member = await t.member('apollo');
    const client = apollo(t.url, { authorization: `Bearer ${member.token}` });

    const created = await client.mutate<any>({ mutation: CREATE, variables: { input: { name: 'frontend', scopes: ['read:clientkeys'] } } });
    const id = created.data!.createClientKey.clientKey.id;
    expect(created.data!.createClientKey.clientKey.owner.email).toBe(member.email);

    const first = await client.query<any>({ query: LIST });
    expect(first.data!.clientKeys.nodes.map((n: { id: string }) => n.id)).toEqual([id]);

    // The mutation returns { id, name }: Apollo updates the cached ClientKey:<id> in place.
    await client.mutate<any>({ mutation: RENAME, variables: { id, name: 'renamed' } });
    const cached = client.readQuery<any>({ query: LIST });
    expect(cached!.clientKeys.nodes[0].name).toBe('renamed');
    expect(client.cache.identify({ __typename: 'ClientKey', id })).toBe(`ClientKey:${id}`);
    expect(client.readFragment<any>({ id: `ClientKey:${id}`, fragment: KEY, fragmentName: 'KeyParts' })!.name).toBe('renamed');
  });

  it('surfaces Keygate error codes', async () => {
    const member = await t.member('apollo-errors');
    const client = apollo(t.url, { authorization: `Bearer ${member.token}` });
    const forbidden = await client
      .query<any>({
        query: gql`
          {
            users {
              totalCount
            }
          }
        `,
      })
      .catch((e: unknown) => e);
    expect(CombinedGraphQLErrors.is(forbidden)).toBe(true);
    expect((forbidden as CombinedGraphQLErrors).errors[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['read:users']] });

    const anonymous = apollo(t.url, {});
    const unauthenticated = await anonymous.query<any>({ query: LIST }).catch((e: unknown) => e);
    // Keygate answers 401 with a GraphQL body, which Apollo Client still reads as GraphQL errors.
    expect(CombinedGraphQLErrors.is(unauthenticated)).toBe(true);
    expect((unauthenticated as CombinedGraphQLErrors).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });

    const bad = await client.mutate<any>({ mutation: CREATE, variables: { input: { name: '', scopes: ['read:clientkeys'] } } }).catch((e: unknown) => e);
    expect((bad as CombinedGraphQLErrors).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('works with a client key, which gets FORBIDDEN outside its scopes', async () => {
    const admin = await t.login();
    // LIST reads other users' emails through `owner`, which needs read:users.
    const { key, id } = await issueKey(t, admin, { scopes: ['read:clientkeys', 'read:users'] });
    const service = apollo(t.url, { 'x-client-key': key });
    const viewer = await service.query<any>({
      query: gql`
        {
          viewer {
            kind
            id
            scopes
          }
        }
      `,
    });
    expect(viewer.data!.viewer).toMatchObject({ kind: 'CLIENT_KEY', id, scopes: ['read:clientkeys', 'read:users'] });
    const keys = await service.query<any>({ query: LIST });
    expect(keys.data!.clientKeys.totalCount).toBeGreaterThan(0);
    const denied = await service.mutate<any>({ mutation: RENAME, variables: { id, name: 'x' } }).catch((e: unknown) => e);
    expect((denied as CombinedGraphQLErrors).errors[0].extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: [['write:clientkeys']] });
  });
});
