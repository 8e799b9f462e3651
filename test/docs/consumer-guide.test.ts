import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const GUIDE = path.join(ROOT, 'docs/clients.md');
const CONSUMER = path.join(ROOT, 'docs/consumer');
const FILES = ['codegen.ts', 'src/keys.graphql', 'src/apollo.ts', 'tsconfig.json'];

describe('the consumer guide (docs/clients.md)', () => {
  it('shows the tested files as they are', () => {
    const guide = fs.readFileSync(GUIDE, 'utf8');
    for (const file of FILES) expect(guide).toContain(fs.readFileSync(path.join(CONSUMER, file), 'utf8').trimEnd());
  });

  it("generates types with its codegen config from Keygate's schema, and they compile under strict with Apollo Client", () => {
    // Inside the repository, so the consumer finds the codegen plugins and @apollo/client in node_modules.
    fs.mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, 'test-artifacts', 'consumer-'));
    try {
      fs.cpSync(CONSUMER, dir, { recursive: true });
      const codegen = spawnSync(path.join(ROOT, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--silent'], {
        cwd: dir,
        env: { ...process.env, KEYGATE_SCHEMA: path.join(ROOT, 'schema.graphql') },
        encoding: 'utf8',
      });
      expect(codegen.stderr).toBe('');
      expect(codegen.status).toBe(0);
      const operations = fs.readFileSync(path.join(dir, 'src/gql/operations.ts'), 'utf8');
      expect(operations).toMatch(/createdAt: string/);

      const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
