import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** The system's chromium (Debian's package): playwright's own browser downloads are not available here. */
export const CHROMIUM = (process.env.PATH ?? '')
  .split(path.delimiter)
  .flatMap((dir) => ['chromium', 'chromium-browser'].map((name) => path.join(dir, name)))
  .find((file) => fs.existsSync(file));

/** `describe` where chromium is installed; elsewhere `describe.skip`, saying so in the test output. */
export function describeWithChromium(what: string): jest.Describe {
  if (!CHROMIUM) console.warn(`[keygate tests] SKIPPED ${what}: no chromium`);
  return CHROMIUM ? describe : describe.skip;
}

/** Headless chromium with nothing of its own running in the background (no updates, sync or QUIC probes). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
