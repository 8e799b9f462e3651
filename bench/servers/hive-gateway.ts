import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

/**
 * Hive Gateway (the Node runtime) fronting the bench upstream in proxy mode, its setup for a
 * single upstream: no authentication, no rate limit. It loads the schema by introspection.
 */
async function main() {
  const gateway = createGatewayRuntime({ logging: false, proxy: { endpoint: process.env.UPSTREAM_URL! }, landingPage: false, graphqlEndpoint: '/graphql' });
  const server = http.createServer(gateway);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  process.on('SIGTERM', () => void Promise.resolve(gateway.dispose()).finally(() => process.exit(0)));
}
void main();
