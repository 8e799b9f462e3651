import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/test-app';

const README = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('## Budgets in two minutes'), README.indexOf('\n## ', README.indexOf('## Budgets in two minutes') + 1));
const BLOCK = /```sh\n([\s\S]*?)```/.exec(SECTION)?.[1] ?? '';

type Limit = { name: string; remaining: number };
const remaining = (limits: Limit[]) => Object.fromEntries(limits.map((l) => [l.name, l.remaining]));

/** The README's budgets walk-through, run as written against a Keygate started as the tour says. */
describe("the README's budgets in two minutes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL: 'you@example.com', ADMIN_PASSWORD: 'change-me-please' } });
  });
  afterAll(() => t?.close());

  it('prices a query without charging it, charges its cost, and charges a minted key to its parent too', async () => {
    expect(BLOCK).toContain('rateLimit(dryRun: true)');
    const run = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', BLOCK], {
      env: { ...process.env, KEYGATE: t.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    const [priced, ran, child] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

    // The dry run: rateLimit (1 + its limits list 1) and the listing (the connection and its nodes, 1 each); nothing charged.
    expect(priced.data).toEqual({ rateLimit: { cost: 4, limits: [expect.objectContaining({ name: 'default' }), expect.objectContaining({ name: 'cost' })] } });
    expect(remaining(priced.data.rateLimit.limits)).toEqual({ default: 60, cost: 200 });

    expect(ran.extensions.cost).toMatchObject({ estimated: 2, actual: 2 });
    expect(remaining(ran.extensions.cost.limits)).toEqual({ default: 59, cost: 198 });

    // The mint cost the parent a root field and 11 (a mutation 10, its payload 1); the child's request then paid into both.
    expect(remaining(child.extensions.cost.limits)).toEqual({ default: 59, 'parent.default': 57, 'parent.cost': 185 });
  });
});
