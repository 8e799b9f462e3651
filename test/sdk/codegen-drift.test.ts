import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('SDK operation types', () => {
  it('match what GraphQL Code Generator makes from schema.graphql (run `npm run codegen`)', () => {
    const root = path.join(__dirname, '../..');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-codegen-'));
    try {
      const out = path.join(dir, 'graphql.ts');
      const run = spawnSync(path.join(root, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--silent'], {
        cwd: root,
        env: { ...process.env, CODEGEN_OUT: out },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(readFileSync(path.join(root, 'sdk/src/generated/graphql.ts'), 'utf8')).toBe(readFileSync(out, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
