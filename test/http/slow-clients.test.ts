import net from 'node:net';
import { loadConfig } from '../../src/config/config';
import { slowClientTimeouts } from '../../src/server/slow-clients';
import { startTestApp, type TestApp } from '../support/test-app';

/** Opens a raw connection, writes `sent`, then goes silent; resolves with what came back once the server closes it. */
function stallAfter(url: string, sent: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(sent));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('slow clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '1000' }, captureLogs: true });
  });
  afterAll(() => t.close());

  it('closes a request whose body stalls after its headers, with 408', async () => {
    const body = '{"query":"{ __typename }"}';
    const answer = await stallAfter(
      t.url,
      `POST /graphql HTTP/1.1\r\nHost: keygate\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 50}\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // It was refused as a slow request, not logged as a failure of ours.
    expect(t.logs()).not.toMatch(/"level":50/);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  }, 30_000);

  it('closes a connection whose headers never end', async () => {
    const answer = await stallAfter(t.url, 'GET /healthz HTTP/1.1\r\nHost: keygate\r\nX-Slow: 1\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);

  it('allows at most 30 seconds by default, and checks deadlines every second', () => {
    const options = slowClientTimeouts(loadConfig({}));
    expect(options.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(options.headersTimeout).toBeLessThanOrEqual(options.requestTimeout!);
    expect(options.connectionsCheckingInterval).toBeLessThanOrEqual(1000);
    // The worst case, a deadline just missed by a check, still closes the connection within 30 s.
    expect(options.requestTimeout! + options.connectionsCheckingInterval!).toBeLessThanOrEqual(30_000);
    // Idle keep-alive connections outlive a load balancer's (60 s), so the server is never the one to close under a request.
    expect(options.keepAliveTimeout).toBeGreaterThan(60_000);
  });
});
