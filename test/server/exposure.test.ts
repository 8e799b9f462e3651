import { loadConfig } from '../../src/config/config';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const TOKEN = 'metrics-token-0123456789abcdef';
const INTROSPECT = '{ __schema { queryType { name } } }';

async function playgroundServed(url: string): Promise<boolean> {
  const res = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
  return res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/html');
}

const metrics = (url: string, authorization?: string) => fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} }).then((r) => r.status);

describe('production exposure: PLAYGROUND, INTROSPECTION, METRICS_TOKEN', () => {
  let db: TestDatabase;
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp({ db, env });
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.drop();
  });

  it('outside production: playground, introspection and metrics are on', async () => {
    const t = await start({});
    expect(await playgroundServed(t.url)).toBe(true);
    expect((await t.gql(INTROSPECT)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(await metrics(t.url)).toBe(200);
  });

  it('in production: no playground, no introspection, and /metrics answers 404 without METRICS_TOKEN', async () => {
    const t = await start({ NODE_ENV: 'production' });
    expect(await playgroundServed(t.url)).toBe(false);
    expect((await fetch(`${t.url}/graphql/playground/init.js`)).status).toBe(404);
    expect((await t.gql(INTROSPECT)).errors?.[0].message).toMatch(/introspection/i);
    expect(await metrics(t.url)).toBe(404);
    expect(await metrics(t.url, 'Bearer anything')).toBe(404);
  });

  it('PLAYGROUND and INTROSPECTION override the defaults either way', async () => {
    const open = await start({ NODE_ENV: 'production', PLAYGROUND: 'true', INTROSPECTION: 'true' });
    expect(await playgroundServed(open.url)).toBe(true);
    expect((await open.gql(INTROSPECT)).errors).toBeUndefined();
    const closed = await start({ PLAYGROUND: 'false', INTROSPECTION: 'false' });
    expect(await playgroundServed(closed.url)).toBe(false);
    expect((await closed.gql(INTROSPECT)).errors?.[0].message).toMatch(/introspection/i);
  });

  it.each(['production', 'development'])('with METRICS_TOKEN (%s), /metrics needs Authorization: Bearer <token>', async (nodeEnv) => {
    const t = await start({ NODE_ENV: nodeEnv, METRICS_TOKEN: TOKEN });
    expect(await metrics(t.url)).toBe(401);
    expect(await metrics(t.url, `Bearer ${TOKEN.slice(0, -1)}`)).toBe(401);
    expect(await metrics(t.url, `Bearer ${TOKEN}x`)).toBe(401);
    expect(await metrics(t.url, `Basic ${TOKEN}`)).toBe(401);
    expect(await metrics(t.url, TOKEN)).toBe(401);
    expect(await metrics(t.url, `Bearer ${TOKEN}`)).toBe(200);
    expect(await metrics(t.url, `bearer ${TOKEN}`)).toBe(200);
  });

  it('validates the settings', () => {
    expect(() => loadConfig({ PLAYGROUND: 'yes' })).toThrow(/PLAYGROUND must be true or false/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toMatchObject({ playground: false, introspection: false });
    expect(loadConfig({})).toMatchObject({ playground: true, introspection: true });
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), PLAYGROUND: ' TRUE ', INTROSPECTION: '1' })).toMatchObject({
      playground: true,
      introspection: true,
    });
    expect(loadConfig({ PLAYGROUND: 'False', INTROSPECTION: '0' })).toMatchObject({ playground: false, introspection: false });
  });
});
