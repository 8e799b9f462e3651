import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { type GatewayFixture, startGatewayFixture } from './support/gateway-fixture';

let f: GatewayFixture;
let t: TestApp;
beforeAll(async () => {
  f = await startGatewayFixture();
  t = await startTestApp({ env: { KEYGATE_CONFIG: f.configFile, LOG_LEVEL: 'debug' } });
});
afterAll(async () => {
  await t?.close();
  await f?.close();
});

test('smoke', async () => {
  const admin = await t.login();
  const key = await issueKey(t, admin, { scopes: ['read:products'] });
  const r = await t.gql('{ products { id name cost } status failing viewer { id } }', {}, { key: key.key });
  console.log(JSON.stringify(r, null, 1));
  console.log(JSON.stringify(f.inventory.received.map((x) => [x.query, x.headers]), null, 1));
});
