import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.join(__dirname, '../..');
export const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

export interface Consumer {
  dir: string;
  /** Every file `npm pack` put in the tarball. */
  packedFiles: string[];
  /** The packages npm installed besides @keygate/sdk itself. */
  installedBesidesSdk: string[];
  /** What npm warned about while installing the tarball (an install script, an engine). */
  installWarnings: string[];
  remove(): void;
}

/**
 * Packs sdk/ as `npm pack` does for a release and installs the tarball, offline (from npm's
 * cache, as after `npm ci`), into a new project in a temporary folder: what a consumer gets.
 */
export function installPackedSdk(): Consumer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-consumer-'));
  try {
    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: path.join(ROOT, 'sdk'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // `prepack` (the build) may print before npm's JSON: take the JSON array at the end.
    const [info] = JSON.parse(packed.slice(packed.indexOf('[\n')));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'sdk-consumer', version: '1.0.0', private: true }));
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${info.filename}`], { cwd: dir, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`npm install of the packed SDK failed:\n${install.stderr}`);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/.package-lock.json'), 'utf8'));
    return {
      dir,
      packedFiles: info.files.map((f: { path: string }) => f.path),
      installedBesidesSdk: Object.keys(lock.packages).filter((p) => p !== '' && p !== 'node_modules/@keygate/sdk'),
      installWarnings: `${install.stdout}${install.stderr}`.split('\n').filter((line) => /^npm warn/i.test(line)),
      remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Type-checks (and emits) a consumer project with the repository's TypeScript; returns tsc's output. */
export function compile(project: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}
