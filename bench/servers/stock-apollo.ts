import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/** Stock Apollo Server 5 serving the same small query, with no authentication. */
const typeDefs = `#graphql
  type Viewer { kind: String! id: ID! scopes: [String!]! keyPrefix: String }
  type Query { viewer: Viewer! }
`;
const viewer = { kind: 'CLIENT_KEY', id: '00000000-0000-4000-8000-000000000000', scopes: ['read:clientkeys', 'read:users'], keyPrefix: 'kg_00000000' };
const resolvers = { Query: { viewer: () => viewer } };

async function main() {
  const server = new ApolloServer({ typeDefs, resolvers });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  console.log(JSON.stringify({ port: Number(new URL(url).port) }));
}
void main();
