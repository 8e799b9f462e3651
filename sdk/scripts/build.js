// Builds the two module formats side by side, each with its own declarations, and marks each
// folder's format with a package.json so Node and TypeScript (node16/nodenext) read the .js and
// .d.ts files in dist/esm as ES modules and those in dist/cjs as CommonJS.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const [format, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, `tsconfig.${format}.json`)], { stdio: 'inherit' });
  fs.writeFileSync(path.join(root, 'dist', format, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}
