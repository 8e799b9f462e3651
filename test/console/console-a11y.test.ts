import type { Browser, Page } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../support/browser';
import { ADMIN, issueKey, startTestApp, type TestApp } from '../support/test-app';
import { ensureConsoleBuilt } from './console-build';
import { openConsole, seriousAxeViolations, shot, signIn, visible } from './console-page';

const describeIfChromium = describeWithChromium('console accessibility browser test');
jest.setTimeout(180_000);

const PHONE = { width: 390, height: 844 };
const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

describeIfChromium('the console for everyone', () => {
  let t: TestApp;
  let browser: Browser | undefined;
  let keyId: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestApp();
    browser = await launchChromium();
    // Long names and a key per member, so that the lists have something wide to fit.
    const member = await t.member('a-rather-long-member-name-for-narrow-screens');
    const admin = await t.login();
    const key = await issueKey(t, { token: admin.token }, { name: 'an admin key with a long name that has to wrap somewhere', scopes: ['read:clientkeys'] });
    keyId = key.id;
    await issueKey(t, { token: member.token }, { name: 'member key', scopes: ['read:clientkeys', 'write:clientkeys'] });
    await t.gql('{ viewer { id } }', {}, { key: key.key });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('has no serious or critical axe violations on sign-in, key list, key detail, users and audit pages', async () => {
    const { context, page } = await openConsole(browser!, t.url, { bypassCSP: true });
    await visible(page.getByRole('button', { name: 'Sign in' }));
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The check can fail: an unlabelled field is a critical violation.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('input'), { id: 'probe' })));
    expect(await seriousAxeViolations(page)).toEqual([expect.stringMatching(/^label: #probe/)]);
    await page.evaluate(() => document.getElementById('probe')!.remove());
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByLabel('Owner').selectOption({ label: 'Everyone' });
    await visible(page.getByRole('link', { name: 'member key' }));
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.goto(`${t.url}/console#/keys/${keyId}`);
    await page.getByRole('heading', { level: 1, name: /an admin key/ }).waitFor();
    await visible(page.getByTestId('usage-chart'));
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await visible(page.getByRole('row', { name: /a-rather-long-member-name/ }));
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await visible(page.getByRole('table', { name: 'Audit events' }));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('fits a 390 px screen: no sideways scroll on the lists, the key page in collapsed sections, a readable chart', async () => {
    const { context, page, pageErrors } = await openConsole(browser!, t.url, { viewport: PHONE });
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByLabel('Owner').selectOption({ label: 'Everyone' });
    await visible(page.getByRole('link', { name: 'member key' }));
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'phone-keys');

    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await visible(page.getByRole('link', { name: /a-rather-long-member-name/ }));
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await visible(page.getByRole('table', { name: 'Audit events' }));
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'phone-audit');

    // The key page: facts first, then sections that start closed (a list of headings, not 6,800 px).
    await page.goto(`${t.url}/console#/keys/${keyId}`);
    await page.getByRole('heading', { level: 1, name: /an admin key/ }).waitFor();
    const sections = page.locator('details.section');
    expect(await sections.count()).toBe(6);
    expect(await sections.evaluateAll((all) => all.filter((d) => (d as HTMLDetailsElement).open).length)).toBe(0);
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight)).toBeLessThan(1800);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    // Opened, the chart's labels are drawn at their own size (12 px), not shrunk to fit.
    await page.locator('summary', { hasText: 'Usage' }).click();
    const chart = page.getByTestId('usage-chart');
    await visible(chart);
    const heights = await chart.locator('text').evaluateAll((texts) => texts.map((el) => el.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(2);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(11);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'phone-key');

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
