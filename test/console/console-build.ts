import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
export const CONSOLE_DIR = path.join(ROOT, 'dist/console');

/** `npm ci` (prepare) builds the console; a checkout that skipped it gets the same build here. */
export function ensureConsoleBuilt(): void {
  if (fs.existsSync(path.join(CONSOLE_DIR, 'index.html'))) return;
  execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: ROOT, stdio: 'inherit' });
}
