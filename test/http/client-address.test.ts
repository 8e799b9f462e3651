import http from 'node:http';
import { Client } from 'pg';
import { AUDIT, VIEWER } from '../support/documents';
import { type AppendingProxy, startAppendingProxy } from '../support/appending-proxy';
import { postGraphQL } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id } } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;

/**
 * The client's address behind a real proxy that appends to X-Forwarded-For (as nginx's
 * $proxy_add_x_forwarded_for does): whatever the client writes in the header itself, Keygate
 * believes only the hops TRUST_PROXY trusts, for allowedCidrs, login throttling and the audit trail.
 */
describe('the client address behind an appending proxy', () => {
  let t: TestApp; // TRUST_PROXY=1: one proxy in front
  let proxy: AppendingProxy;
  let v6Proxy: AppendingProxy; // listens on ::1
  let dualProxy: AppendingProxy; // listens on ::, so IPv4 clients arrive as ::ffff:127.0.0.1
  let admin: { token: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '1' } });
    proxy = await startAppendingProxy({ target: t.url });
    v6Proxy = await startAppendingProxy({ target: t.url, host: '::1' });
    dualProxy = await startAppendingProxy({ target: t.url, host: '::' });
    admin = await t.login();
  });
  afterAll(async () => {
    await dualProxy?.close();
    await v6Proxy?.close();
    await proxy?.close();
    await t?.close();
  });

  async function keyFor(allowedCidrs: string[]): Promise<string> {
    const res = await t.gql(CREATE, { i: { name: 'addr', scopes: ['read:clientkeys'], rateLimitPerMinute: 1000, allowedCidrs } }, admin);
    expect(res.errors).toBeUndefined();
    return res.data.createClientKey.key;
  }
  const viewerVia = (base: string, key: string, forwardedFor?: string) =>
    postGraphQL(base, VIEWER, {}, { 'x-client-key': key, ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) });

  it('refuses a key limited to 203.0.113.0/24 when the client writes X-Forwarded-For: 203.0.113.5 itself', async () => {
    const key = await keyFor(['203.0.113.0/24']);
    for (const written of ['203.0.113.5', '203.0.113.5, 203.0.113.6', '::ffff:203.0.113.5', undefined]) {
      const res = await viewerVia(proxy.url, key, written);
      expect([written, res.status, res.errors?.[0].extensions?.reason]).toEqual([written, 403, 'IP_NOT_ALLOWED']);
    }
  });

  it('serves a key from the address the proxy saw, whatever the client wrote', async () => {
    const key = await keyFor(['127.0.0.1/32']);
    for (const written of ['203.0.113.5', 'not-an-ip', '<script>', undefined]) {
      const res = await viewerVia(proxy.url, key, written);
      expect([written, res.status, res.data?.viewer?.kind]).toEqual([written, 200, 'CLIENT_KEY']);
    }
  });

  it('is not fooled by several X-Forwarded-For headers', async () => {
    const key = await keyFor(['203.0.113.0/24']);
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ query: VIEWER });
      const req = http.request(`${proxy.url}/graphql`, {
        method: 'POST',
        // Raw header pairs (Host included, as a raw list gets none added): X-Forwarded-For twice.
        headers: [
          'host',
          new URL(proxy.url).host,
          'content-type',
          'application/json',
          'content-length',
          String(Buffer.byteLength(body)),
          'x-client-key',
          key,
          'x-forwarded-for',
          '203.0.113.5',
          'x-forwarded-for',
          '203.0.113.6',
        ],
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(403);
  });

  it('takes an IPv6 client as IPv6, and an IPv4-mapped one as IPv4', async () => {
    const v6Only = await keyFor(['::1/128']);
    const v4Only = await keyFor(['127.0.0.0/8']);
    expect((await viewerVia(v6Proxy.url, v6Only, '127.0.0.1')).status).toBe(200);
    expect((await viewerVia(v6Proxy.url, v4Only, '127.0.0.1')).status).toBe(403);
    // Through the dual-stack proxy the appended entry is ::ffff:127.0.0.1, the same client as 127.0.0.1.
    expect((await viewerVia(dualProxy.url, v4Only, '::1')).status).toBe(200);
    expect((await viewerVia(dualProxy.url, v6Only, '::1')).status).toBe(403);
  });

  it('records the address the proxy saw in the audit trail, never what the client wrote', async () => {
    const written = ['<script>', 'not-an-ip', '203.0.113.5', '1.2.3.4.5', "' OR 1=1 --"];
    const ids: string[] = [];
    for (const forwardedFor of written) {
      const res = await postGraphQL(
        proxy.url,
        CREATE,
        { i: { name: 'audited', scopes: ['read:clientkeys'] } },
        { authorization: `Bearer ${admin.token}`, 'x-forwarded-for': forwardedFor },
      );
      expect(res.errors).toBeUndefined();
      ids.push(res.data.createClientKey.clientKey.id);
    }
    ids.push(
      (await postGraphQL(dualProxy.url, CREATE, { i: { name: 'mapped', scopes: ['read:clientkeys'] } }, { authorization: `Bearer ${admin.token}` })).data
        .createClientKey.clientKey.id,
    );
    for (const id of ids) {
      const events = (await t.gql(AUDIT, { clientKeyId: id }, admin)).data.auditEvents.nodes;
      expect(events.map((e: { ip: string }) => e.ip)).toEqual(['127.0.0.1']);
    }
  });

  it('keeps audit ip an address at the database too: anything else is refused', async () => {
    const db = new Client({ connectionString: t.db.url });
    await db.connect();
    try {
      const column = await db.query(`SELECT data_type FROM information_schema.columns WHERE table_name = 'audit_events' AND column_name = 'ip'`);
      expect(column.rows[0].data_type).toBe('inet');
      await expect(
        db.query(
          `INSERT INTO audit_events (action, actor_kind, actor_id, user_id, ip, changes) VALUES ('user.updated', 'USER', gen_random_uuid(), NULL, '<script>', '{}')`,
        ),
      ).rejects.toThrow(/inet/);
    } finally {
      await db.end();
    }
  });
});

describe('login throttling behind an appending proxy', () => {
  let t: TestApp;
  let proxy: AppendingProxy;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '1' }, config: (c) => ({ ...c, loginLimits: { perIpPerMinute: 5, failuresPerEmail: 1000 } }) });
    proxy = await startAppendingProxy({ target: t.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
  });

  it('counts attempts against the real client, however it rewrites X-Forwarded-For', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await postGraphQL(proxy.url, LOGIN, { e: `nobody-${i}@example.com`, p: 'wrong-password-1' }, { 'x-forwarded-for': `198.51.100.${i + 1}` });
      codes.push(res.code ?? 'OK');
    }
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), ...Array(4).fill('RATE_LIMITED')]);
  });
});

describe('TRUST_PROXY as a list of proxy addresses', () => {
  let t: TestApp;
  let inner: AppendingProxy; // connects to Keygate from 127.0.0.2, the trusted proxy
  let outer: AppendingProxy; // connects to the inner proxy from 127.0.0.3, also trusted
  let admin: { token: string };
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '127.0.0.2/32, 127.0.0.3' } });
    inner = await startAppendingProxy({ target: t.url, localAddress: '127.0.0.2' });
    outer = await startAppendingProxy({ target: inner.url, localAddress: '127.0.0.3' });
    admin = await t.login();
  });
  afterAll(async () => {
    await outer?.close();
    await inner?.close();
    await t?.close();
  });

  const keyFor = async (allowedCidrs: string[]) =>
    (await t.gql(CREATE, { i: { name: 'listed', scopes: ['read:clientkeys'], rateLimitPerMinute: 1000, allowedCidrs } }, admin)).data.createClientKey
      .key as string;
  const status = async (base: string, key: string, forwardedFor: string) =>
    (await postGraphQL(base, VIEWER, {}, { 'x-client-key': key, 'x-forwarded-for': forwardedFor })).status;

  it('walks back through the trusted proxies to the first address that is not one', async () => {
    const client = await keyFor(['127.0.0.1/32']);
    const spoofed = await keyFor(['203.0.113.0/24']);
    const proxyOnly = await keyFor(['127.0.0.2/32', '127.0.0.3/32']);
    for (const base of [inner.url, outer.url]) {
      expect(await status(base, client, '203.0.113.5')).toBe(200);
      expect(await status(base, spoofed, '203.0.113.5')).toBe(403);
      expect(await status(base, proxyOnly, '203.0.113.5')).toBe(403);
    }
    // Straight to Keygate from an address it does not trust: the header is not read at all.
    expect(await status(t.url, spoofed, '203.0.113.5')).toBe(403);
    expect(await status(t.url, client, '203.0.113.5')).toBe(200);
  });
});
