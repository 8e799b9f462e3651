import type { Browser, Locator, Page } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../support/browser';
import { ADMIN, issueKey, startTestApp, type TestApp } from '../support/test-app';
import { ensureConsoleBuilt } from './console-build';
import { eventually, openConsole, seriousAxeViolations, shot, signIn, textOf, visible } from './console-page';

const describeIfChromium = describeWithChromium('console budgets browser test');
jest.setTimeout(180_000);

const PHONE = { width: 390, height: 844 };
const MEMBER_PASSWORD = 'member-password-1';
const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

/** The page's Budget section (a region named by its heading). */
const budgetOf = (page: Page) => page.getByRole('region', { name: 'Budget' });

/** The field's error, found as a screen reader finds it: through the field's aria-describedby. */
async function errorOf(field: Locator): Promise<string> {
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const id = await field.getAttribute('aria-describedby');
  expect(id).toBeTruthy();
  return textOf(field.page().locator(`[id="${id}"]`));
}

/** One request with the key, over HTTP as a client sends it, answering the response's extensions.cost. */
async function spend(t: TestApp, key: string): Promise<{ actual: number; limits: { name: string; remaining: number }[] }> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-client-key': key },
    body: JSON.stringify({ query: '{ clientKeys(first: 3) { nodes { id name } } }' }),
  });
  const body = (await response.json()) as { errors?: unknown; extensions: { cost: { actual: number; limits: { name: string; remaining: number }[] } } };
  expect(response.status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.extensions.cost;
}

describeIfChromium('the budget in the console', () => {
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

  async function openKey(page: Page, id: string, name: string) {
    await page.goto(`${t.url}/console#/keys/${id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
  }

  it('sets a cost limit and credits on a key, shows what remains after the key spends, and adjusts the credits', async () => {
    const member = await t.member('budget-owner');
    const key = await issueKey(t, { token: member.token }, { name: 'budgeted key', scopes: ['read:clientkeys'] });
    const { context, page, outside, pageErrors } = await openConsole(browser!, t.url);
    await signIn(page, member.email, MEMBER_PASSWORD);
    await openKey(page, key.id, 'budgeted key');
    const budget = budgetOf(page);
    // Before: only the default limit, untouched, and no credits.
    await visible(budget.locator('[data-limit="default"]'));
    expect(await textOf(budget.getByTestId('credits-remaining'))).toBe('unlimited');

    await budget.getByRole('button', { name: 'Add a limit' }).click();
    await budget.getByLabel('Limit name').fill('cost');
    await budget.getByLabel('Unit', { exact: true }).selectOption('COST');
    await budget.getByLabel('Units per period').fill('40');
    await budget.getByLabel('Period (seconds)').fill('600');
    await budget.getByLabel('Max cost per operation').fill('30');
    await budget.getByLabel(/Limit credits/).check();
    await budget.getByLabel('Credits remaining').fill('100');
    await budget.getByLabel('Refill', { exact: true }).selectOption('DAILY');
    await budget.getByLabel('Refill to (credits)').fill('100');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await eventually(async () => expect(await textOf(budget)).toContain('Budget saved.'));

    // Keygate holds what the form sent.
    const saved = await t.gql(
      'query($id: ID!) { clientKey(id: $id) { limits { name unit limit periodSeconds } maxOperationCost credits { remaining refill { amount interval } } } }',
      { id: key.id },
      { token: member.token },
    );
    expect(saved.data.clientKey).toEqual({
      limits: [
        { name: 'default', unit: 'ROOT_FIELDS', limit: 60, periodSeconds: 60 },
        { name: 'cost', unit: 'COST', limit: 40, periodSeconds: 600 },
      ],
      maxOperationCost: 30,
      credits: { remaining: 100, refill: { amount: 100, interval: 'DAILY' } },
    });
    const costRow = budget.locator('[data-limit="cost"]');
    await eventually(async () => expect(await textOf(costRow)).toContain('40 of 40 left'));
    expect(await textOf(costRow)).toContain('This key');
    expect(await textOf(budget.getByTestId('max-operation-cost'))).toBe('30');

    // The key spends; after a reload the page shows what Keygate says remains.
    const first = await spend(t, key.key);
    const second = await spend(t, key.key);
    const spent = first.actual + second.actual;
    expect(spent).toBeGreaterThan(0);
    await eventually(async () => {
      await page.reload();
      await visible(costRow);
      expect(await textOf(costRow)).toMatch(new RegExp(`^cost.*${40 - spent} of 40 left, resets in \\d+ (s|min)$`));
      expect(await textOf(budget.getByTestId('credits-remaining'))).toBe(String(100 - spent));
    }, 20_000);
    expect(await textOf(budget.locator('[data-limit="default"]'))).toContain('58 of 60 left');

    // Adjust: add 50 to what remains now.
    await budget.getByRole('radio', { name: 'Add' }).check();
    await budget.getByLabel('Amount').fill('50');
    await budget.getByRole('button', { name: 'Adjust credits' }).click();
    await visible(budget.getByText('Credits adjusted.'));
    await eventually(async () => expect(await textOf(budget.getByTestId('credits-remaining'))).toBe(String(150 - spent)));
    const after = await t.gql('query($id: ID!) { clientKey(id: $id) { credits { remaining } } }', { id: key.id }, { token: member.token });
    expect(after.data.clientKey.credits.remaining).toBe(150 - spent);
    const audit = await t.gql(
      'query($id: ID!) { auditEvents(clientKeyId: $id, first: 20) { nodes { action changes } } }',
      { id: key.id },
      { token: member.token },
    );
    const changes = audit.data.auditEvents.nodes
      .filter((e: { action: string }) => e.action === 'client_key.updated')
      .map((e: { changes: unknown }) => e.changes);
    // Both changes made through the page are audited: the save and the adjustment.
    expect(changes).toEqual(
      expect.arrayContaining([
        { credits: { operation: 'INCREMENT', amount: 50, from: 100 - spent, to: 150 - spent } },
        expect.objectContaining({
          limits: { from: [], to: [{ name: 'cost', unit: 'COST', limit: 40, periodSeconds: 600 }] },
          maxOperationCost: { from: null, to: 30 },
        }),
      ]),
    );

    // Take away, then set.
    await budget.getByRole('radio', { name: 'Set to' }).check();
    await budget.getByLabel('Amount').fill('7');
    await budget.getByRole('button', { name: 'Adjust credits' }).click();
    await eventually(async () => expect(await textOf(budget.getByTestId('credits-remaining'))).toBe('7'));
    await shot(page, 'budget-key');
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('shows a refused field next to that field', async () => {
    const member = await t.member('budget-errors');
    const key = await issueKey(t, { token: member.token }, { name: 'refused key', scopes: ['read:clientkeys'] });
    const { context, page } = await openConsole(browser!, t.url);
    await signIn(page, member.email, MEMBER_PASSWORD);
    await openKey(page, key.id, 'refused key');
    const budget = budgetOf(page);
    await budget.getByRole('button', { name: 'Add a limit' }).click();
    await budget.getByRole('button', { name: 'Add a limit' }).click();
    await budget.getByLabel('Limit name').nth(0).fill('fine');
    await budget.getByLabel('Units per period').nth(0).fill('5');
    await budget.getByLabel('Limit name').nth(1).fill('Not A Name');
    await budget.getByLabel('Units per period').nth(1).fill('5');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    // The second row's name, not the first's.
    const secondName = budget.getByLabel('Limit name').nth(1);
    await eventually(async () => expect(await errorOf(secondName)).toMatch(/limits\[1\]\.name: must match/));
    expect(await budget.getByLabel('Limit name').nth(0).getAttribute('aria-invalid')).toBeNull();

    // A fixed name, a maximum cost out of range: now that field.
    await secondName.fill('also-fine');
    await budget.getByLabel('Max cost per operation').fill('0');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await eventually(async () => expect(await errorOf(budget.getByLabel('Max cost per operation'))).toMatch(/^maxOperationCost: /));
    expect(await secondName.getAttribute('aria-invalid')).toBeNull();
    const unchanged = await t.gql('query($id: ID!) { clientKey(id: $id) { limits { name } } }', { id: key.id }, { token: member.token });
    expect(unchanged.data.clientKey.limits).toEqual([{ name: 'default' }]);
    await context.close();
  });

  it('lets an admin view and edit a user’s limits and credits, and shows a refused loosening of their own (FORBIDDEN) beside the limits', async () => {
    const member = await t.member('budget-user');
    const admin = await t.login();
    const { context, page, pageErrors } = await openConsole(browser!, t.url);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`${t.url}/console#/users/${member.userId}`);
    await page.getByRole('heading', { level: 1, name: /budget-user/ }).waitFor();
    const budget = budgetOf(page);
    await visible(budget.getByText('No limits.'));
    await budget.getByRole('button', { name: 'Add a limit' }).click();
    await budget.getByLabel('Limit name').fill('team');
    await budget.getByLabel('Unit', { exact: true }).selectOption('REQUESTS');
    await budget.getByLabel('Units per period').fill('1000');
    await budget.getByLabel('Period (seconds)').fill('3600');
    await budget.getByLabel(/Limit credits/).check();
    await budget.getByLabel('Credits remaining').fill('500');
    await budget.getByLabel('Refill', { exact: true }).selectOption('MONTHLY');
    await budget.getByLabel('Refill to (credits)').fill('500');
    await budget.getByLabel('Day of the month').fill('15');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await eventually(async () => expect(await textOf(budget)).toContain('Budget saved.'));

    const read = await t.gql(
      'query($id: ID!) { user(id: $id) { limits { name unit limit periodSeconds } credits { remaining refill { amount interval dayOfMonth } } } }',
      { id: member.userId },
      admin,
    );
    expect(read.data.user).toEqual({
      limits: [{ name: 'team', unit: 'REQUESTS', limit: 1000, periodSeconds: 3600 }],
      credits: { remaining: 500, refill: { amount: 500, interval: 'MONTHLY', dayOfMonth: 15 } },
    });
    await page.reload();
    await visible(budget.getByText('team: 1,000 requests per 1 h'));
    expect(await textOf(budget.getByTestId('credits-remaining'))).toBe('500');
    await visible(budget.getByText('back to 500 every month on day 15'));

    // A second admin may tighten their own limits but not loosen them: the refusal sits with the limits.
    await t.gql(
      'mutation($id: ID!) { updateUser(id: $id, input: { role: ADMIN, limits: [{ name: "own", unit: REQUESTS, limit: 10, periodSeconds: 60 }] }) { id } }',
      { id: member.userId },
      admin,
    );
    const { context: own, page: ownPage } = await openConsole(browser!, t.url);
    await signIn(ownPage, member.email, MEMBER_PASSWORD);
    await ownPage.goto(`${t.url}/console#/users/${member.userId}`);
    const ownBudget = budgetOf(ownPage);
    await visible(ownBudget.getByText('own: 10 requests per 1 min'));
    await ownBudget.getByLabel('Units per period').fill('1000');
    await ownBudget.getByRole('button', { name: 'Save budget' }).click();
    const limitsGroup = ownBudget.getByRole('group', { name: 'Named limits' });
    await eventually(async () => expect(await textOf(limitsGroup.getByRole('alert'))).toMatch(/only be tightened/));
    const still = await t.gql('query($id: ID!) { user(id: $id) { limits { limit } } }', { id: member.userId }, admin);
    expect(still.data.user.limits).toEqual([{ limit: 10 }]);
    await own.close();
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('has no serious or critical axe violations in the budget sections and fits a 390 px screen', async () => {
    const member = await t.member('budget-phone-with-a-long-name');
    const key = await issueKey(t, { token: member.token }, { name: 'a budgeted key with a long name for a narrow screen', scopes: ['read:clientkeys'] });
    const set = await t.gql(
      'mutation($id: ID!) { updateClientKey(id: $id, input: { limits: [{ name: "a-long-cost-limit-for-phones-ok", unit: COST, limit: 1000000, periodSeconds: 86400 }], credits: { remaining: 1000, refill: { amount: 1000, interval: MONTHLY, dayOfMonth: 31 } } }) { id } }',
      { id: key.id },
      { token: member.token },
    );
    expect(set.errors).toBeUndefined();
    await spend(t, key.key);

    const { context, page, pageErrors } = await openConsole(browser!, t.url, { bypassCSP: true });
    await signIn(page, member.email, MEMBER_PASSWORD);
    await openKey(page, key.id, 'a budgeted key');
    const budget = budgetOf(page);
    await visible(budget.locator('[data-limit="a-long-cost-limit-for-phones-ok"]'));
    await budget.getByRole('button', { name: 'Add a limit' }).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // With a refusal on screen too.
    await budget.getByLabel('Limit name').nth(1).fill('x y');
    await budget.getByLabel('Units per period').nth(1).fill('5');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await visible(budget.getByRole('alert'));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();

    const phone = await openConsole(browser!, t.url, { viewport: PHONE });
    await signIn(phone.page, member.email, MEMBER_PASSWORD);
    await openKey(phone.page, key.id, 'a budgeted key');
    await phone.page.locator('summary', { hasText: 'Budget' }).click();
    const narrow = budgetOf(phone.page);
    await visible(narrow.locator('[data-limit="a-long-cost-limit-for-phones-ok"]'));
    await narrow.getByRole('button', { name: 'Add a limit' }).click();
    await narrow.getByRole('radio', { name: 'Take away' }).check();
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await shot(phone.page, 'phone-budget');
    expect(phone.pageErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await phone.context.close();
  });
});
