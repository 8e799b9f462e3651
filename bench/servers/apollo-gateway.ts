import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * @apollo/gateway fronting the bench upstream, composed from it as a federation subgraph
 * (IntrospectAndCompose reads its `_service { sdl }`), served by Apollo Server 5's standalone
 * server. No authentication, no rate limit.
 */
async function main() {
  const gateway = new ApolloGateway({ supergraphSdl: new IntrospectAndCompose({ subgraphs: [{ name: 'catalogue', url: process.env.UPSTREAM_URL! }] }) });
  const server = new ApolloServer({ gateway, csrfPrevention: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  console.log(JSON.stringify({ port: Number(new URL(url).port) }));
  process.on('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
}
void main();
