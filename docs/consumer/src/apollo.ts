import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { MyKeysDocument } from './gql/operations.js';

/** Apollo Client acting as a client key (from a browser on another origin: list it in CORS_ORIGINS). */
export function createKeygateClient(keygateUrl: string, clientKey: string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: `${keygateUrl}/graphql`, headers: { 'x-client-key': clientKey } }),
    cache: new InMemoryCache(),
  });
}

export async function describeActiveKeys(client: ApolloClient): Promise<string[]> {
  const { data } = await client.query({ query: MyKeysDocument, variables: { status: 'ACTIVE' } });
  return (data?.clientKeys.nodes ?? []).map((key) => {
    const created: string = key.createdAt; // DateTime arrives as an ISO-8601 string
    return `${key.name} (${key.keyPrefix}..., ${key.status}) created ${new Date(created).toLocaleDateString()}`;
  });
}
