import { createClient } from '@keygate/sdk';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app';

describe('SDK clientKeys.usage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('returns snake_case buckets for a period and interval', async () => {
    const client = createClient({ url: t.url });
    await client.auth.login({ email: ADMIN.email, password: ADMIN.password });
    const { client_key, key } = await client.management.clientKeys.create({ name: 'sdk usage', scopes: ['read:clientkeys'], rate_limit_per_minute: 1 });
    const asKey = createClient({ url: t.url, clientKey: key });
    await asKey.management.clientKeys.get(client_key.id);
    await asKey.management.clientKeys.get(client_key.id).catch(() => undefined);
    await t.app.wiring.usage.flush();

    const since = new Date(Date.now() - 2 * 3_600_000);
    const hours = await client.management.clientKeys.usage(client_key.id, { since });
    expect(hours.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(hours[0]).sort()).toEqual(['errors', 'mean_latency_ms', 'rate_limited', 'requests', 'start']);
    const total = hours.reduce((sum, b) => ({ requests: sum.requests + b.requests, rate_limited: sum.rate_limited + b.rate_limited }), {
      requests: 0,
      rate_limited: 0,
    });
    expect(total).toEqual({ requests: 2, rate_limited: 1 });
    const days = await client.management.clientKeys.usage(client_key.id, { since: since.toISOString(), until: new Date().toISOString(), interval: 'DAY' });
    expect(days.reduce((n, b) => n + b.requests, 0)).toBe(2);
  });
});
