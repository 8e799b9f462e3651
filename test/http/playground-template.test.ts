import { ADMIN, startTestApp, type TestApp } from '../support/test-app';

async function initScript(t: TestApp): Promise<string> {
  const res = await fetch(`${t.url}/graphql/playground/init.js`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The playground's first query signs in as the admin this instance really has, not a made-up one. */
describe("the playground's login template", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('uses ADMIN_EMAIL when it is set', async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL: 'ops@example.org', ADMIN_PASSWORD: ADMIN.password } });
    const script = await initScript(t);
    expect(script).toContain('login(email: \\"ops@example.org\\"');
  });

  it('uses the generated admin, admin@keygate.local, when ADMIN_EMAIL is not set', async () => {
    t = await startTestApp({ config: (config) => ({ ...config, admin: undefined }) });
    const script = await initScript(t);
    expect(script).toContain('login(email: \\"admin@keygate.local\\"');
    expect(script).not.toContain('admin@example.com');
  });
});
