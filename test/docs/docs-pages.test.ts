import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Metric names registered in src/metrics/ (prom-client's `name:` and the hot-path histograms' first argument). */
function metricNames(): string[] {
  const names = new Set<string>();
  for (const file of fs.readdirSync(path.join(ROOT, 'src/metrics'))) {
    for (const [, name] of read(`src/metrics/${file}`).matchAll(/['"](keygate_[a-z_]+)['"]/g)) names.add(name);
  }
  return [...names];
}

describe('the docs', () => {
  it('keep the README short: what it is, the two commands, the tour and links', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/^npm test\s/m);
    expect(readme).toContain('## The 5-minute tour');
    expect(readme).toContain('- [Budgets](docs/budgets.md)');
  });

  it('link only to files that exist (docs/budgets.md is still to be written)', () => {
    const broken: string[] = [];
    for (const file of [
      'README.md',
      ...fs
        .readdirSync(path.join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ]) {
      for (const [, target] of read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const resolved = path.join(ROOT, path.dirname(file), target);
        if (!fs.existsSync(resolved) && target !== 'docs/budgets.md') broken.push(`${file} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('operations.md names every metric Keygate registers, with what to alert on', () => {
    const operations = read('docs/operations.md');
    const names = metricNames();
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !operations.includes(`\`${name}\``))).toEqual([]);
  });
});
