import { type Browser, type Page } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../support/browser';
import { issueKey, startTestApp, type TestApp } from '../support/test-app';
import { ensureConsoleBuilt } from './console-build';
import { type ConsoleOptions, eventually, openConsole as openPage, shot, signIn, textOf, unlabelledControls, visible } from './console-page';

const describeIfChromium = describeWithChromium('console browser test');

// A browser on a busy two-core machine, plus waiting for usage to be flushed.
jest.setTimeout(180_000);

describeIfChromium('the console in a real browser', () => {
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

  const openConsole = (options: ConsoleOptions = {}) => openPage(browser!, t.url, options);

  /** Presses Tab until the focused element satisfies `focused` (evaluated in the page); fails if it never does. */
  async function tabTo(page: Page, focused: () => boolean) {
    for (let i = 0; i < 40; i++) {
      if (await page.evaluate(focused)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error('Tab never reached the element');
  }

  it('signs in, creates a key and copies its secret, shows its usage, edits, rotates and revokes it, and signs out', async () => {
    const member = await t.member('console');
    const { context, page, outside, pageErrors } = await openConsole();

    await signIn(page, member.email, 'member-password-1');
    await shot(page, '1-keys-empty');

    // Create: a small rate limit so that usage will show 429s too.
    await page.getByLabel('Name', { exact: true }).fill('billing service');
    await page.getByRole('checkbox', { name: 'read:clientkeys' }).check();
    await page.getByLabel('Rate limit (requests per minute)').fill('5');
    await page.getByRole('button', { name: 'Create key' }).click();

    const secretField = page.getByLabel('Secret key');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^kg_/);
    await visible(page.getByText('This is the only time it is shown'));
    await page.getByRole('button', { name: 'Copy' }).click();
    await visible(page.getByText('Copied to the clipboard.'));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shot(page, '2-created');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByLabel('Secret key').waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /billing service/ });
    await eventually(async () => expect(await textOf(row)).toContain('Active'));
    expect(await textOf(row)).toContain(secret.slice(0, 8));

    // Use the key from outside: 6 answered (one of them FORBIDDEN: an error, which spends nothing of
    // the limit of 5), then 2 refused by the limit.
    const asKey = { key: secret };
    for (let i = 0; i < 5; i++) expect((await t.gql('{ viewer { id } }', {}, asKey)).status).toBe(200);
    expect((await t.gql('{ users { totalCount } }', {}, asKey)).code).toBe('FORBIDDEN');
    for (let i = 0; i < 2; i++) expect((await t.gql('{ viewer { id } }', {}, asKey)).code).toBe('RATE_LIMITED');

    await row.getByRole('link', { name: 'billing service' }).click();
    await page.getByRole('heading', { level: 1, name: /billing service/ }).waitFor();
    const chart = page.getByTestId('usage-chart');
    // Usage is flushed in batches (within seconds): refresh until the counts arrive.
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh usage' }).click();
      expect(await textOf(chart.locator('desc'))).toMatch(/^8 requests, 1 errors and 2 rate-limited/);
    }, 30_000);
    await visible(page.getByRole('row', { name: /Query\.viewer/ }));
    for (const label of ['7 days', '30 days', '24 hours']) {
      await page.getByRole('radio', { name: label }).check();
      await eventually(async () => {
        expect(await textOf(chart.locator('title'))).toBe(`Usage over the last ${label}`);
        expect(await textOf(chart.locator('desc'))).toMatch(/^8 requests, 1 errors and 2 rate-limited/);
      });
    }
    await shot(page, '3-key-usage');
    expect(await unlabelledControls(page)).toEqual([]);

    // Edit the name and the allowed addresses (loopback, where this test calls from).
    await page.getByLabel('Name', { exact: true }).fill('billing service v2');
    await page.getByLabel(/Allowed IP ranges/).fill('127.0.0.0/8\n::1/128');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await visible(page.getByText('Saved.'));
    await page.getByRole('heading', { level: 1, name: /billing service v2/ }).waitFor();
    const saved = await t.gql('query($id: ID!) { clientKey(id: $id) { name allowedCidrs } }', { id: page.url().split('/').pop() }, { token: member.token });
    expect(saved.data.clientKey).toEqual({ name: 'billing service v2', allowedCidrs: ['127.0.0.0/8', '::1/128'] });

    // Rotate with no grace period: the new secret works, the old one stops at once.
    await page.getByLabel(/Grace period/).fill('0');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const rotated = await page.getByLabel('Secret key').inputValue();
    expect(rotated).toMatch(/^kg_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(rotated);
    await shot(page, '4-rotated');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    expect((await t.gql('{ viewer { keyPrefix } }', {}, { key: secret })).code).toBe('UNAUTHENTICATED');
    // The rate limit window may still be spent: either answer proves the key is accepted.
    expect(['RATE_LIMITED', undefined]).toContain((await t.gql('{ viewer { keyPrefix } }', {}, { key: rotated })).code);

    // Revoke: it asks for a reason and the key's name typed out; the button waits for both.
    const revoke = page.getByRole('button', { name: 'Revoke key' });
    expect(await revoke.isDisabled()).toBe(true);
    await page.getByLabel(/Type the key’s name/).fill('billing service v2');
    expect(await revoke.isDisabled()).toBe(true);
    await page.getByLabel('Reason').fill('service retired');
    await page.getByLabel(/Type the key’s name/).fill('billing service');
    expect(await revoke.isDisabled()).toBe(true);
    await page.getByLabel(/Type the key’s name/).fill('billing service v2');
    expect(await revoke.isEnabled()).toBe(true);
    await revoke.click();
    await eventually(async () => expect(await textOf(page.getByRole('heading', { level: 1 }))).toContain('Revoked'));
    await visible(page.locator('dl.facts dd', { hasText: 'service retired' }));
    const refused = await t.gql('{ viewer { id } }', {}, { key: rotated });
    expect(refused.code).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0].extensions?.reason).toBe('KEY_REVOKED');

    // The key's audit trail shows each step.
    const audit = page.getByRole('table', { name: 'Audit events' });
    await eventually(async () => {
      const text = await textOf(audit);
      for (const action of ['client_key.created', 'client_key.updated', 'client_key.rotated', 'client_key.revoked']) expect(text).toContain(action);
    });
    await shot(page, '5-revoked');

    // Back on the list: revoked, and the sparkline carries the day's count: the 8 above and the
    // rotated secret's request (the same key), once its usage is flushed (reloading until then).
    await page.getByRole('link', { name: '← All keys' }).click();
    const listed = page.getByRole('row', { name: /billing service v2/ });
    await eventually(async () => expect(await textOf(listed)).toContain('Revoked'));
    await eventually(async () => {
      await page.reload();
      await listed.waitFor({ state: 'visible', timeout: 5_000 });
      expect(await listed.getByRole('img').getAttribute('aria-label')).toBe('9 requests in the last 24 hours');
    }, 30_000);
    expect(await unlabelledControls(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('button', { name: 'Sign in' }));
    await visible(page.getByText('You are signed out.'));
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('shows which key minted a key, and revokes a key with the keys it minted (cascade)', async () => {
    const member = await t.member('cascade');
    const parent = await issueKey(t, { token: member.token }, { name: 'deploy bot', scopes: ['read:clientkeys', 'write:clientkeys'] });
    const child = await issueKey(t, { key: parent.key }, { name: 'minted by the bot', scopes: ['read:clientkeys', 'write:clientkeys'] });
    const grandchild = await issueKey(t, { key: child.key }, { name: 'minted by the minted', scopes: ['read:clientkeys'] });
    const { context, page, outside, pageErrors } = await openConsole();
    await signIn(page, member.email, 'member-password-1');

    await page
      .getByRole('row', { name: /minted by the bot/ })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { level: 1, name: /minted by the bot/ }).waitFor();
    await page.locator('dl.facts').getByRole('link', { name: 'another key' }).click();
    await page.getByRole('heading', { level: 1, name: /deploy bot/ }).waitFor();

    await page.getByLabel('Reason').fill('bot decommissioned');
    await page.getByLabel(/Type the key’s name/).fill('deploy bot');
    await page.getByRole('checkbox', { name: 'Also revoke the keys this key created' }).check();
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await eventually(async () => expect(await textOf(page.getByRole('heading', { level: 1 }))).toContain('Revoked'));

    for (const key of [parent, child, grandchild]) {
      const read = await t.gql('query($id: ID!) { clientKey(id: $id) { status } }', { id: key.id }, { token: member.token });
      expect(read.data.clientKey.status).toBe('REVOKED');
    }
    await page.getByRole('link', { name: '← All keys' }).click();
    await eventually(async () => {
      for (const name of ['deploy bot', 'minted by the bot', 'minted by the minted'])
        expect(await textOf(page.getByRole('row', { name: new RegExp(name) }))).toContain('Revoked');
    });
    await shot(page, '6-cascade');

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('renews the access token with the refresh token, and signs out when that is refused', async () => {
    const member = await t.member('renew');
    const { context, page, outside, pageErrors } = await openConsole();
    await signIn(page, member.email, 'member-password-1');
    const stored = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('keygate.console.session') ?? 'null'));
    const edit = (change: Record<string, unknown>) =>
      page.evaluate((c) => {
        const session = JSON.parse(sessionStorage.getItem('keygate.console.session')!);
        sessionStorage.setItem('keygate.console.session', JSON.stringify({ ...session, ...c }));
      }, change);
    const first = await stored();

    // An access token about to run out is renewed before the next request leaves.
    await edit({ expiresAt: Date.now() });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your client keys' }).waitFor();
    await eventually(async () => expect((await stored()).refreshToken).not.toBe(first.refreshToken));
    const second = await stored();
    // (The access token may be byte-identical: a JWT issued in the same second for the same user.)
    expect(second.expiresAt).toBeGreaterThan(Date.now() + 60_000);

    // An access token Keygate refuses (401) is renewed once and the request sent again.
    await edit({ accessToken: 'not-a-token', expiresAt: Date.now() + 600_000 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your client keys' }).waitFor();
    await eventually(async () => expect((await stored()).refreshToken).not.toBe(second.refreshToken));
    expect((await stored()).accessToken).not.toBe('not-a-token');
    expect(await page.getByRole('alert').count()).toBe(0);

    // When the refresh token is refused too, the console signs out and says why.
    await edit({ accessToken: 'not-a-token', refreshToken: 'not-a-token', expiresAt: Date.now() + 600_000 });
    await page.reload();
    await visible(page.getByRole('button', { name: 'Sign in' }));
    await visible(page.getByText('Your session has ended: sign in again.'));
    expect(await stored()).toBeNull();

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('works from the keyboard alone, labels every field, and renders in the dark scheme', async () => {
    const member = await t.member('keyboard');
    const { context, page, outside, pageErrors } = await openConsole({ colorScheme: 'dark' });

    // The email field has the focus on arrival; Tab and Enter do the rest.
    await eventually(async () => expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-in-email'));
    await page.keyboard.type(member.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('member-password-1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Your client keys' }).waitFor();

    // Tab through the page to the create form: name, a scope (Space ticks it), then Enter on the button.
    await tabTo(page, () => document.activeElement?.id === 'create-name');
    await page.keyboard.type('keyboard key');
    await tabTo(page, () => document.activeElement?.parentElement?.textContent?.trim() === 'read:clientkeys');
    await page.keyboard.press('Space');
    await tabTo(page, () => document.activeElement?.textContent === 'Create key');
    await page.keyboard.press('Enter');
    await visible(page.getByLabel('Secret key'));
    // The secret panel takes the focus, so the warning is the first thing read out.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('secret-heading');
    expect(await unlabelledControls(page)).toEqual([]);

    // Dark scheme: the page follows prefers-color-scheme (dark background, light text).
    const colors = await page.evaluate(() => {
      const style = getComputedStyle(document.body);
      return { background: style.backgroundColor, color: style.color };
    });
    expect(colors).toEqual({ background: 'rgb(20, 23, 27)', color: 'rgb(232, 234, 237)' });
    await shot(page, 'dark');

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
