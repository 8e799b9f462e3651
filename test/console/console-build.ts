import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
export const CONSOLE_DIR = path.join(ROOT, 'dist/console');
const SOURCES = [path.join(ROOT, 'console/src'), path.join(ROOT, 'console/index.html')];

function newestChange(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(file).map((name) => newestChange(path.join(file, name))));
}

/**
 * `npm ci` (prepare) builds the console; a checkout that skipped it, or whose console sources changed since
 * the last build, gets a fresh build here, so the browser tests never test an old console.
 */
export function ensureConsoleBuilt(): void {
  const index = path.join(CONSOLE_DIR, 'index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...SOURCES.map(newestChange))) return;
  // Under jest NODE_ENV is `test`, and Vite's JSX transform then emits jsxDEV calls that React's production
  // runtime does not have: the built console would render nothing.
  execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
