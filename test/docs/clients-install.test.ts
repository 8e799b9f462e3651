import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');

/**
 * docs/clients.md's install lines name the versions Keygate builds and tests its consumer guide
 * with, and the overrides that keep codegen's dependencies on their Node 20 releases (the newest
 * need Node 22: 17 EBADENGINE warnings on Node 20). They must follow the root package.json.
 */
describe("docs/clients.md's install lines", () => {
  const guide = fs.readFileSync(path.join(ROOT, 'docs/clients.md'), 'utf8');
  const block = /## Generate types with GraphQL Code Generator\n\n```sh\n([\s\S]*?)```/.exec(guide)![1].replace(/\\\n/g, ' ');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const repoVersions: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };

  it('pins each package to the range Keygate itself uses, typescript included', () => {
    const installs = block.split('\n').filter((line) => line.startsWith('npm install'));
    const pinned = installs.flatMap((line) =>
      line
        .split(/\s+/)
        .slice(2)
        .filter((word) => !word.startsWith('-')),
    );
    const named = Object.fromEntries(pinned.map((spec) => [spec.slice(0, spec.lastIndexOf('@')), spec.slice(spec.lastIndexOf('@') + 1)]));
    expect(Object.keys(named)).toEqual(expect.arrayContaining(['@apollo/client', 'graphql', '@graphql-codegen/cli', 'typescript']));
    for (const [name, range] of Object.entries(named)) expect([name, range]).toEqual([name, repoVersions[name]]);
  });

  it("sets the root package.json's Node 20 overrides", () => {
    const set = /npm pkg set (.*)/.exec(block)![1];
    const overrides = Object.fromEntries(
      [...set.matchAll(/'overrides(?:\[([^\]]+)\]|\.([\w-]+))=([^']+)'/g)].map(([, bracketed, dotted, range]) => [bracketed ?? dotted, range]),
    );
    // The root's other overrides only keep Keygate's own install small (one copy of a package its dependencies
    // each nest): a consumer's project needs none of them.
    const installSizeOnly = ['@graphql-tools/utils', '@opentelemetry/core', '@opentelemetry/api-logs'];
    const rootNode20 = Object.fromEntries(Object.entries(pkg.overrides).filter(([name]) => !installSizeOnly.includes(name)));
    expect(overrides).toEqual(rootNode20);
  });
});
