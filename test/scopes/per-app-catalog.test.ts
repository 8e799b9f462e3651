import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VIEWER } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

const SCOPES = `{ scopes { name } }`;
const CREATE_KEY = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key } }`;

/**
 * Issue #20, finding 9: the scope catalog and the roles' scopes belong to one app. Two Keygate
 * apps in one process (as in tests, or a gateway whose reload changes roles) with different
 * KEYGATE_CONFIG scopes and roles each see their own, whichever started last.
 */
describe('two apps in one process keep their own scope catalogs', () => {
  let dir: string;
  let inventory: TestApp;
  let billing: TestApp;

  function configFile(name: string, scope: string): string {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, `scopes:\n  ${scope}: Read ${name}\nroles:\n  member: [${scope}]\n`);
    return file;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-catalogs-'));
    inventory = await startTestApp({ env: { KEYGATE_CONFIG: configFile('inventory', 'read:inventory') } });
    billing = await startTestApp({ env: { KEYGATE_CONFIG: configFile('billing', 'read:billing') } });
  });
  afterAll(async () => {
    await billing?.close();
    await inventory?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("Query.scopes lists only the app's own configured scopes", async () => {
    for (const [t, own, other] of [
      [inventory, 'read:inventory', 'read:billing'],
      [billing, 'read:billing', 'read:inventory'],
    ] as const) {
      const admin = await t.login();
      const names = (await t.gql(SCOPES, {}, admin)).data.scopes.map((s: { name: string }) => s.name);
      expect(names).toContain(own);
      expect(names).not.toContain(other);
      expect(names).toContain('read:users');
    }
  });

  it("a member holds its role's scopes from its own app, and keys are granted only the app's scopes", async () => {
    for (const [t, own, other] of [
      [inventory, 'read:inventory', 'read:billing'],
      [billing, 'read:billing', 'read:inventory'],
    ] as const) {
      const member = await t.member('catalog');
      const scopes: string[] = (await t.gql(VIEWER, {}, member)).data.viewer.scopes;
      expect(scopes).toContain(own);
      expect(scopes).not.toContain(other);
      const granted = await t.gql(CREATE_KEY, { i: { name: 'own', scopes: [own] } }, member);
      expect(granted.errors).toBeUndefined();
      const refused = await t.gql(CREATE_KEY, { i: { name: 'other', scopes: [other] } }, member);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const key = (granted.data as { createClientKey: { key: string } }).createClientKey.key;
      expect((await t.gql(VIEWER, {}, { key })).data.viewer.scopes).toEqual([own]);
    }
  });
});
