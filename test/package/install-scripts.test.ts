import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');

/**
 * npm 11 warns on install for every dependency whose install script package.json's allowScripts
 * does not mention, and npm 12 skips those scripts: each one is approved or denied explicitly,
 * on every platform (the embedded PostgreSQL's binaries link their libraries in a postinstall).
 */
describe('install scripts', () => {
  it('every package in the lock file with an install script is approved or denied in allowScripts', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const withScripts = Object.entries<any>(lock.packages)
      .filter(([location, entry]) => entry.hasInstallScript && location.startsWith('node_modules/'))
      .map(([location]) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    const unreviewed = [...new Set(withScripts)].filter((name) => typeof pkg.allowScripts?.[name] !== 'boolean');
    expect(unreviewed).toEqual([]);
  });
});
