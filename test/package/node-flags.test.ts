import fs from 'node:fs';
import path from 'node:path';
import { KEYGATE_NODE_FLAGS } from '../../bench/spawn-server';

/** The benchmark measures Keygate as it is deployed: `npm start`, the Dockerfile and the bench give Node the same flags. */
describe('Node flags Keygate runs with', () => {
  const root = path.join(__dirname, '..', '..');

  it('npm start passes them', () => {
    const start = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toBe(`node ${KEYGATE_NODE_FLAGS.join(' ')} dist/src/main.js`);
  });

  it('the Dockerfile sets them in NODE_OPTIONS, where an operator can override them', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(/^\s*NODE_OPTIONS=(.+?)\s*\\?$/m.exec(dockerfile)?.[1]).toBe(KEYGATE_NODE_FLAGS.join(' '));
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  });

  it('each flag is one Node accepts', () => {
    for (const flag of KEYGATE_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0])).toBe(true);
  });
});
