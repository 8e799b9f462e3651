import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('the console typed documents', () => {
  it('match what GraphQL Code Generator makes from schema.graphql and console/src (run `npm run codegen`)', () => {
    const root = path.join(__dirname, '../..');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-console-codegen-'));
    try {
      // With CODEGEN_OUT set, codegen.ts writes the console's file beside it instead of over the committed one.
      const run = spawnSync(path.join(root, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--silent'], {
        cwd: root,
        env: { ...process.env, CODEGEN_OUT: path.join(dir, 'graphql.ts') },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(readFileSync(path.join(root, 'console/src/generated/graphql.ts'), 'utf8')).toBe(readFileSync(path.join(dir, 'console-graphql.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
