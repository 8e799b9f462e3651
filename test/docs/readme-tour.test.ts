import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app';

const README = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const TOUR = README.slice(README.indexOf('## The 5-minute tour'), README.indexOf('\n## ', README.indexOf('## The 5-minute tour') + 1));

/** The tour's ```sh blocks, unindented. */
function shBlocks(): string[] {
  return [...TOUR.matchAll(/^( *)```sh\n([\s\S]*?)^ *```/gm)].map(([, indent, body]) =>
    body
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n'),
  );
}

/**
 * The README's tour, run as written against a Keygate started the way its first step says (the
 * block reads KEYGATE, defaulting to http://localhost:8080, so this one runs on a free port).
 */
describe("the README's 5-minute tour", () => {
  let t: TestApp;
  beforeAll(async () => {
    const [start] = shBlocks();
    const settings = Object.fromEntries([...start.matchAll(/(ADMIN_EMAIL|ADMIN_PASSWORD)=(\S+)/g)].map(([, name, value]) => [name, value]));
    expect(start.trim()).toBe(`ADMIN_EMAIL=${settings.ADMIN_EMAIL} ADMIN_PASSWORD=${settings.ADMIN_PASSWORD} npm start`);
    t = await startTestApp({ env: settings });
  });
  afterAll(() => t?.close());

  it('logs in, creates a key, reads as the key, and is refused what the key may not read', async () => {
    const [, tour] = shBlocks();
    // Asynchronously: the Keygate it calls runs in this process. A failing command rejects.
    const run = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', tour], {
      env: { ...process.env, KEYGATE: t.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    // curl -s prints each body without a newline: two JSON documents back to back.
    const [asKey, refused] = run.stdout
      .replace(/}{"/g, '}\n{"')
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(asKey.data.viewer).toEqual({ kind: 'CLIENT_KEY', keyPrefix: expect.stringMatching(/^kg_/), scopes: ['read:clientkeys'] });
    expect(asKey.data.clientKeys.nodes).toEqual([{ name: 'tour', status: 'ACTIVE' }]);
    expect(refused.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [['read:users']] });
  });
});
