import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
const AXE = path.join(__dirname, '../../node_modules/axe-core/axe.min.js');

/** Retries an assertion until it holds (pages update asynchronously); rethrows its last failure. */
export async function eventually(assertion: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export const textOf = async (locator: Locator) => (await locator.textContent()) ?? '';
export const visible = (locator: Locator) => locator.waitFor({ state: 'visible', timeout: 30_000 });

export async function shot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

export interface ConsoleOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** For axe, which the page's Content-Security-Policy would refuse as an inline script. */
  bypassCSP?: boolean;
}

/**
 * A fresh browser context that can reach Keygate only: anything else would be a CDN the console must not
 * need. Page errors and console errors are collected (a CSP violation shows up only there).
 */
export async function openConsole(browser: Browser, url: string, options: ConsoleOptions = {}) {
  const origin = new URL(url).origin;
  const context: BrowserContext = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    bypassCSP: options.bypassCSP ?? false,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (new URL(target).origin === origin) return route.continue();
    outside.push(target);
    return route.abort('internetdisconnected');
  });
  const pageErrors: string[] = [];
  const newPage = async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // (A refused request the test makes on purpose, such as a 401 before a renewal, is logged as a failed load.)
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 401/.test(message.text())) pageErrors.push(message.text());
    });
    await page.goto(`${url}/console`, { waitUntil: 'load' });
    return page;
  };
  const page = await newPage();
  return { context, page, newPage, outside, pageErrors };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your client keys' }).waitFor();
}

/** Every form control must have a label a screen reader can announce. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.$$eval('input, textarea, select', (elements) =>
    elements
      .filter((el) => {
        const control = el as HTMLInputElement;
        return control.labels?.length === 0 && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby');
      })
      .map((el) => el.outerHTML),
  );
}

/** axe-core's serious and critical violations on the page as it is now, as `rule: target` lines. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.targets.map((target) => `${v.id}: ${target}`));
}
