import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../support/browser';
import { ADMIN, issueKey, startTestApp, type TestApp } from '../support/test-app';
import { ensureConsoleBuilt } from './console-build';
import { eventually, openConsole, signIn, textOf, visible } from './console-page';

const describeIfChromium = describeWithChromium('console teams browser test');
jest.setTimeout(180_000);

/** The console's session as a tab stores it (a string: evaluated in the page). */
const stored = "JSON.parse(sessionStorage.getItem('keygate.console.session') ?? 'null')";
type StoredSession = { refreshToken: string; expiresAt: number } | null;
const session = async (page: { evaluate(script: string): Promise<unknown> }) => (await page.evaluate(stored)) as StoredSession;

describeIfChromium('the console for teams', () => {
  let t: TestApp;
  let browser: Browser | undefined;

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shares one sign-in between the tabs of a browser (renewals and sign-out too), never through localStorage', async () => {
    const member = await t.member('tabs');
    await issueKey(t, { token: member.token }, { name: 'shared tab key', scopes: ['read:clientkeys'] });
    const { context, page, newPage, outside, pageErrors } = await openConsole(browser!, t.url);
    await signIn(page, member.email, 'member-password-1');

    // A second tab opens signed in, with the same keys, and nothing was written to localStorage.
    const second = await newPage();
    await second.getByRole('heading', { level: 1, name: 'Your client keys' }).waitFor();
    await visible(second.getByRole('link', { name: 'shared tab key' }));
    for (const tab of [page, second]) expect(await tab.evaluate(() => localStorage.length)).toBe(0);

    // A renewal in one tab reaches the other: the spent refresh token is never used twice.
    const before = (await session(page))!;
    await page.evaluate(() => {
      const session = JSON.parse(sessionStorage.getItem('keygate.console.session')!);
      sessionStorage.setItem('keygate.console.session', JSON.stringify({ ...session, expiresAt: Date.now() }));
    });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your client keys' }).waitFor();
    await eventually(async () => expect((await session(page))?.refreshToken).not.toBe(before.refreshToken));
    const renewed = (await session(page))!;
    await eventually(async () => expect((await session(second))?.refreshToken).toBe(renewed.refreshToken));
    await second.reload();
    await visible(second.getByRole('link', { name: 'shared tab key' }));

    // A browser without the console open elsewhere (another context) is not signed in.
    const other = await openConsole(browser!, t.url);
    await visible(other.page.getByRole('button', { name: 'Sign in' }));
    await other.context.close();

    // Signing out in one tab signs out every tab.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('button', { name: 'Sign in' }));
    await visible(page.getByText('You signed out in another tab.'));
    for (const tab of [page, second]) {
      expect(await tab.evaluate(() => localStorage.length)).toBe(0);
      expect(await tab.evaluate(stored)).toBeNull();
    }

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('edits a key’s scopes within the caller’s own, and shows when the old secret stops working after a rotate', async () => {
    const member = await t.member('scopes');
    const viewer = await t.gql('{ viewer { scopes } }', {}, { token: member.token });
    const held: string[] = viewer.data.viewer.scopes;
    const { context, page, pageErrors } = await openConsole(browser!, t.url);
    await signIn(page, member.email, 'member-password-1');
    const key = await issueKey(t, { token: member.token }, { name: 'scoped key', scopes: ['read:clientkeys'] });
    await page.goto(`${t.url}/console#/keys/${key.id}`);
    await page.getByRole('heading', { level: 1, name: /scoped key/ }).waitFor();

    // The edit form offers exactly the member's scopes (not the admin's).
    const edit = page.locator('details', { has: page.getByRole('heading', { name: 'Edit' }) });
    const scopeLabels = edit.locator('.scope label');
    await eventually(async () => expect(await scopeLabels.count()).toBe(held.length));
    const offered = await scopeLabels.allTextContents();
    expect(offered.map((s) => s.trim()).sort()).toEqual([...held].sort());
    expect(held).not.toContain('write:users');
    await edit.getByRole('checkbox', { name: 'write:clientkeys' }).check();
    await edit.getByRole('checkbox', { name: 'read:clientkeys' }).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await visible(page.getByText('Saved.'));
    const saved = await t.gql('query($id: ID!) { clientKey(id: $id) { scopes } }', { id: key.id }, { token: member.token });
    expect(saved.data.clientKey.scopes).toEqual(['write:clientkeys']);

    // Rotate with an hour's grace: the panel and the key's facts say until when, as Keygate recorded it.
    await page.getByLabel(/Grace period/).fill('3600');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await visible(page.getByText(/The old secret keeps working until/));
    const audit = await t.gql(
      'query($id: ID!) { auditEvents(clientKeyId: $id, action: "client_key.rotated") { nodes { changes } } }',
      { id: key.id },
      { token: member.token },
    );
    const end: string = audit.data.auditEvents.nodes[0].changes.previousKeyExpiresAt;
    expect(Date.parse(end) - Date.now()).toBeGreaterThan(3_500_000);
    const expected = await page.evaluate((iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }), end);
    await eventually(async () => expect(await textOf(page.getByTestId('grace-end'))).toBe(`Works until ${expected}`));
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.reload();
    await eventually(async () => expect(await textOf(page.getByTestId('grace-end'))).toBe(`Works until ${expected}`));

    // With no grace, the old secret stops at once and no end is shown.
    await page.getByLabel(/Grace period/).fill('0');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await visible(page.getByText('The old secret stopped working at once.'));
    await page.getByTestId('grace-end').waitFor({ state: 'detached' });

    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('shows admins every key with its owner, filters by owner and status, searches by name or prefix, and revokes a colleague’s key', async () => {
    const alice = await t.member('alice');
    const bob = await t.member('bob');
    const one = await issueKey(t, { token: alice.token }, { name: 'alpha one', scopes: ['read:clientkeys'] });
    const two = await issueKey(t, { token: alice.token }, { name: 'alpha two', scopes: ['read:clientkeys'] });
    const leaked = await issueKey(t, { token: bob.token }, { name: 'bob leaked key', scopes: ['read:clientkeys'] });
    await t.gql('mutation($id: ID!) { revokeClientKey(id: $id, reason: "test") { id } }', { id: two.id }, { token: alice.token });

    const { context, page, pageErrors } = await openConsole(browser!, t.url);
    await signIn(page, ADMIN.email, ADMIN.password);
    const rows = page.locator('table.keys tbody tr');
    const names = async () => (await rows.locator('th').allTextContents()).sort();

    await page.getByLabel('Owner').selectOption({ label: 'Everyone' });
    await page.getByRole('heading', { level: 1, name: 'All client keys' }).waitFor();
    await eventually(async () => expect(await names()).toEqual(expect.arrayContaining(['alpha one', 'alpha two', 'bob leaked key'])));
    expect(await textOf(page.getByRole('row', { name: /bob leaked key/ }))).toContain(bob.email);
    expect(await textOf(page.getByRole('row', { name: /alpha one/ }))).toContain(alice.email);

    await page.getByLabel('Owner').selectOption({ label: alice.email });
    await eventually(async () => expect(await names()).toEqual(['alpha one', 'alpha two']));
    await page.getByLabel('Status').selectOption({ label: 'Revoked' });
    await eventually(async () => expect(await names()).toEqual(['alpha two']));
    await page.getByLabel('Status').selectOption({ label: 'Active' });
    await eventually(async () => expect(await names()).toEqual(['alpha one']));

    await page.getByLabel('Owner').selectOption({ label: 'Everyone' });
    await page.getByLabel('Status').selectOption({ label: 'Any' });
    await page.getByLabel('Search by name or prefix').fill('LEAKED');
    await eventually(async () => expect(await names()).toEqual(['bob leaked key']));
    // Part of the prefix, or a whole secret pasted in.
    for (const typed of [one.key.slice(0, 9), one.key]) {
      await page.getByLabel('Search by name or prefix').fill(typed);
      await eventually(async () => expect(await names()).toEqual(['alpha one']));
    }

    // The leaked key of a colleague: the admin opens and revokes it.
    await page.getByLabel('Search by name or prefix').fill('bob');
    await page.getByRole('link', { name: 'bob leaked key' }).click();
    await page.getByRole('heading', { level: 1, name: /bob leaked key/ }).waitFor();
    // The key's facts come first; its Budget section has facts of its own.
    expect(await textOf(page.locator('dl.facts').first())).toContain(bob.email);
    await page.getByLabel('Reason').fill('leaked in a public gist');
    await page.getByLabel(/Type the key’s name/).fill('bob leaked key');
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await eventually(async () => expect(await textOf(page.getByRole('heading', { level: 1 }))).toContain('Revoked'));
    expect((await t.gql('{ viewer { id } }', {}, { key: leaked.key })).code).toBe('UNAUTHENTICATED');

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
