import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../support/browser';
import { ADMIN, issueKey, startTestApp, type TestApp } from '../support/test-app';
import { ensureConsoleBuilt } from './console-build';
import { eventually, openConsole, signIn, textOf, visible } from './console-page';

const describeIfChromium = describeWithChromium('console admin browser test');
jest.setTimeout(180_000);

describeIfChromium('the console for admins', () => {
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

  it('manages users: creates one, changes the role, resets the password and deletes', async () => {
    const { context, page, pageErrors } = await openConsole(browser!, t.url);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

    const email = `new-${Date.now()}@example.com`;
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Create user' }) });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill('first-password-1');
    await form.getByRole('button', { name: 'Create user' }).click();
    await visible(page.getByText(`Created ${email}.`));
    const row = page.getByRole('row', { name: new RegExp(email) });
    await eventually(async () => expect(await textOf(row)).toContain('Member'));
    expect((await t.login(email, 'first-password-1')).token).toBeTruthy();

    await row.getByRole('link', { name: email }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(email) }).waitFor();
    await page.getByLabel('Role', { exact: true }).selectOption('ADMIN');
    await page.getByRole('button', { name: 'Save role' }).click();
    await visible(page.getByText('Role saved.'));
    const admin = await t.login(email, 'first-password-1');
    expect((await t.gql('{ me { role } }', {}, { token: admin.token })).data.me.role).toBe('ADMIN');

    await page.getByLabel('New password').fill('second-password-2');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await visible(page.getByText(/Password reset/));
    await expect(t.login(email, 'first-password-1')).rejects.toThrow();
    expect((await t.login(email, 'second-password-2')).token).toBeTruthy();

    const remove = page.getByRole('button', { name: 'Delete user' });
    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel(/Type the user’s email/).fill(email);
    await remove.click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await eventually(async () => expect(await page.getByRole('row', { name: new RegExp(email) }).count()).toBe(0));
    await expect(t.login(email, 'second-password-2')).rejects.toThrow();

    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('reads the audit log across keys, filtered by action, key and user', async () => {
    const carol = await t.member('carol');
    const dave = await t.member('dave');
    const c1 = await issueKey(t, { token: carol.token }, { name: 'carol first', scopes: ['read:clientkeys'] });
    await issueKey(t, { token: carol.token }, { name: 'carol second', scopes: ['read:clientkeys'] });
    const d1 = await issueKey(t, { token: dave.token }, { name: 'dave only', scopes: ['read:clientkeys'] });
    await t.gql('mutation($id: ID!) { revokeClientKey(id: $id, reason: "test") { id } }', { id: c1.id }, { token: carol.token });
    await t.gql('mutation($id: ID!) { revokeClientKey(id: $id, reason: "test") { id } }', { id: d1.id }, { token: dave.token });

    const { context, page, pageErrors } = await openConsole(browser!, t.url);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const table = page.getByRole('table', { name: 'Audit events' });
    const cells = (label: string) => table.locator(`td[data-label="${label}"]`).allTextContents();

    await page.getByLabel('Action').selectOption('client_key.revoked');
    await eventually(async () => {
      const actions = await cells('Action');
      expect(actions.length).toBeGreaterThanOrEqual(2);
      expect(new Set(actions)).toEqual(new Set(['client_key.revoked']));
      expect(await cells('Key')).toEqual(expect.arrayContaining(['carol first', 'dave only']));
    });

    await page.getByLabel('User').selectOption({ label: carol.email });
    await eventually(async () => expect(await cells('Key')).toEqual(['carol first']));

    await page.getByLabel('User').selectOption({ label: 'Any' });
    await page.getByLabel('Action').selectOption({ label: 'Any' });
    await page.getByLabel('Key').selectOption({ label: `dave only (${d1.key.slice(0, 11)})` });
    await eventually(async () => {
      expect(new Set(await cells('Key'))).toEqual(new Set(['dave only']));
      expect((await cells('Action')).sort()).toEqual(['client_key.created', 'client_key.revoked']);
    });

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
