import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const ROOT = path.join(__dirname, '../..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

/**
 * `npm ci` warns EBADENGINE for every installed package whose `engines.node` excludes the running
 * Node. The lock file records each package's range: check them all against ours, so that a
 * dependency update that drops a Node we promise fails here instead of warning at install.
 */
describe('engines', () => {
  const lock = read('package-lock.json');
  const promised: string = read('package.json').engines.node;
  const packages = Object.entries(lock.packages as Record<string, { engines?: { node?: string } | string[] }>)
    .filter(([location, meta]) => location !== '' && meta.engines && !Array.isArray(meta.engines) && meta.engines.node)
    .map(([location, meta]) => ({ location, range: (meta.engines as { node: string }).node }));

  it('are met by the Node running the tests, for every locked package', () => {
    expect(semver.satisfies(process.version, promised)).toBe(true);
    expect(packages.filter(({ range }) => !semver.satisfies(process.version, range, { includePrerelease: true }))).toEqual([]);
  });

  it('are truthful: every Node version package.json promises is one every locked package accepts', () => {
    expect(packages.length).toBeGreaterThan(100);
    expect(packages.filter(({ range }) => !semver.subset(promised, range, { includePrerelease: true }))).toEqual([]);
    // The SDK asks less of its consumers than the server does, and what it asks is true for itself.
    expect(semver.subset(promised, read('sdk/package.json').engines.node)).toBe(true);
  });
});
