import fs from 'node:fs';
import path from 'node:path';
import { redirectSeedUrl } from '../sdk/seed-url';
import { startTestApp, type TestApp } from '../support/test-app';

const ROOT = path.join(__dirname, '../..');
const ADMIN_PASSWORD = 'docs-admin-password-1';

/** The first ```ts block after `heading` (or in the file) of a Markdown file. */
function tsBlock(file: string, heading?: string): string {
  let text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  if (heading) text = text.slice(text.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error(`no ts block in ${file}`);
  return match[1];
}

/** Runs a README's top-level-await example as written: its imports stay, the rest becomes a function body. */
async function runExample(code: string, dir: string): Promise<void> {
  const lines = code.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import '));
  const file = path.join(dir, `example-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, `${imports.join('\n')}\nexport async function run(): Promise<void> {\n${body.join('\n')}\n}\n`);
  const { run } = (await import(file)) as { run(): Promise<void> };
  await run();
}

/**
 * The SDK examples of sdk/README.md and docs/clients.md run unchanged against a Keygate whose
 * admin is the documented one, with its password where the examples read it (KEYGATE_PASSWORD),
 * and end without an error.
 */
describe('the SDK examples in the docs', () => {
  let t: TestApp;
  let redirect: ReturnType<typeof redirectSeedUrl>;
  let dir: string;
  let log: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL: 'admin@keygate.local', ADMIN_PASSWORD } });
    redirect = redirectSeedUrl(t.url);
    process.env.KEYGATE_PASSWORD = ADMIN_PASSWORD;
    fs.mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    dir = fs.mkdtempSync(path.join(ROOT, 'test-artifacts', 'docs-examples-'));
  });
  beforeEach(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
    error.mockRestore();
  });
  afterAll(async () => {
    delete process.env.KEYGATE_PASSWORD;
    redirect?.restore();
    fs.rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it.each([
    ['sdk/README.md', undefined],
    ['docs/clients.md', '## The SDK (`@keygate/sdk`)'],
  ])('%s runs to the end', async (file, heading) => {
    await runExample(tsBlock(file, heading), dir);
    expect(error).not.toHaveBeenCalled();
    expect(log.mock.calls.at(-1)).toContain('CLIENT_KEY');
    expect(redirect.redirected()).toBeGreaterThan(0);
  });
});
