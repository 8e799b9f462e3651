import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../support/browser';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app';

const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

const describeIfChromium = describeWithChromium('playground browser test');

/** Sets a GraphiQL (CodeMirror 5) editor the way typing would, so GraphiQL's own state follows. */
async function setEditor(page: Page, selector: string, value: string) {
  await page.locator(`${selector} .CodeMirror`).waitFor();
  await page.$eval(`${selector} .CodeMirror`, (element, text) => (element as any).CodeMirror.setValue(text), value);
}

// Starting a browser and loading ~4 MB of bundles is slow on a busy CI machine.
jest.setTimeout(120_000);

describeIfChromium('the playground in a real browser', () => {
  let t: TestApp;
  let browser: Browser | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads with the network cut off, runs `me` with a token, and saves a screenshot', async () => {
    const { token } = await t.login();
    const origin = new URL(t.url).origin;
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    // Cut the network: only Keygate's origin answers, so the page must bring everything it needs.
    const outside: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      outside.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${t.url}/graphql`, { waitUntil: 'load' });
    await page.locator('.graphiql-container').waitFor();

    await setEditor(page, '.graphiql-query-editor', '{ me { email role } }');
    // The Headers tab is open by default (the hidden editor beside it is Variables).
    await setEditor(page, '.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)', JSON.stringify({ Authorization: `Bearer ${token}` }));
    // The default query holds two operations, so the run button is an operation menu until GraphiQL
    // (100 ms debounced) has parsed the new query; clicking sooner opens the menu instead of running.
    await page.locator('.graphiql-execute-button:not([aria-haspopup])').click();

    await page.locator('.result-window').getByText(ADMIN.email).waitFor();
    const response = JSON.parse(await page.$eval('.result-window .CodeMirror', (element) => (element as any).CodeMirror.getValue()));
    expect(response).toEqual({ data: { me: { email: ADMIN.email, role: 'ADMIN' } } });

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground.png'), fullPage: true });

    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('keeps Authorization and X-Client-Key headers out of localStorage, and out of a new tab', async () => {
    const { token } = await t.login();
    const clientKey = 'kg_playground-header-test-key';
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/graphql`, { waitUntil: 'load' });
    await page.locator('.graphiql-container').waitFor();
    await setEditor(page, '.graphiql-query-editor', '{ me { email } }');
    await setEditor(
      page,
      '.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)',
      JSON.stringify({ Authorization: `Bearer ${token}`, 'X-Client-Key': clientKey }),
    );

    // GraphiQL saves its state a moment later: wait until the query typed above is stored somewhere.
    const stored = () =>
      page.evaluate(() => ({
        local: JSON.stringify(Object.entries(window.localStorage)),
        session: JSON.stringify(Object.entries(window.sessionStorage)),
      }));
    const deadline = Date.now() + 20_000;
    let saved = await stored();
    while (!`${saved.local}${saved.session}`.includes('me { email }')) {
      if (Date.now() > deadline) throw new Error('GraphiQL never saved its state');
      await page.waitForTimeout(100);
      saved = await stored();
    }
    // Nothing at all in localStorage; in sessionStorage the header names may appear (the default
    // query's instructions name them), their values never.
    expect(saved.local).toBe('[]');
    for (const secret of [token, clientKey]) expect([secret, saved.session.includes(secret)]).toEqual([secret, false]);

    // A new tab (what a browser restart restores from localStorage) starts with no headers.
    const second = await context.newPage();
    await second.goto(`${t.url}/graphql`, { waitUntil: 'load' });
    await second.locator('.graphiql-container').waitFor();
    const headers = await second.$eval('.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror', (element) =>
      (element as any).CodeMirror.getValue(),
    );
    expect(headers).not.toContain(token);
    expect(headers).not.toContain(clientKey);
    await context.close();
  });
});
