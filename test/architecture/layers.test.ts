import fs from 'node:fs';
import path from 'node:path';

/**
 * Layers point one way. Each folder of src/ belongs to one layer; a file may import from its
 * own layer or a lower one, never a higher one, and two folders never import each other
 * (whatever their layers). A new folder must be given a layer here before it can be used.
 */
const LAYERS: ReadonlyArray<{ layer: string; folders: readonly string[] }> = [
  // Knows nothing of Keygate's domain: configuration, logs, errors, metrics, helpers, the scope catalog, the cost model, tracing.
  { layer: 'foundation', folders: ['config', 'logging', 'errors', 'common', 'metrics', 'redis', 'scopes', 'cost', 'tracing'] },
  // Who is calling: principal, actor, credentials, role to scopes, the request context resolvers see.
  { layer: 'identity', folders: ['identity'] },
  // How a field declares and enforces who may call it; the features declare their guards with it.
  { layer: 'guards', folders: ['directives'] },
  // The features, each with its entity, service, resolver and types.
  { layer: 'features', folders: ['users', 'auth', 'client-keys', 'audit', 'viewer', 'rate-limiting', 'usage', 'ip-allowlist', 'catalog', 'budgets', 'limits'] },
  // The GraphQL layer: the schema, the request pipeline, the database that holds the features' entities.
  { layer: 'graphql', folders: ['schema', 'execution', 'database', 'upstreams'] },
  // HTTP and wiring on top.
  { layer: 'top', folders: ['http', 'server', 'main'] },
];

const SRC = path.join(__dirname, '..', '..', 'src');
/** The published client: it imports nothing from the server. */
const STANDALONE = new Set(['sdk']);

const IMPORT = /\bfrom\s+['"](\.[^'"]+)['"]|\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)|\bimport\s+['"](\.[^'"]+)['"]|\brequire\(\s*['"](\.[^'"]+)['"]\s*\)/g;

export interface Edge {
  from: string;
  to: string;
  file: string;
}

/** Every import from one top-level folder of src/ (or top-level file, as `main`) to another. */
function folderImports(): Edge[] {
  const edges: Edge[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const from = folderOf(full);
        for (const match of fs.readFileSync(full, 'utf8').matchAll(IMPORT)) {
          const target = path.resolve(path.dirname(full), match[1] ?? match[2] ?? match[3] ?? match[4]);
          const relative = path.relative(SRC, target);
          const to = relative.startsWith('..') ? '(outside src)' : folderOf(target);
          if (to !== from) edges.push({ from, to, file: path.relative(SRC, full) });
        }
      }
    }
  };
  walk(SRC);
  return edges;
}

function folderOf(file: string): string {
  return path
    .relative(SRC, file)
    .split(path.sep)[0]
    .replace(/\.(tsx?|js)$/, '');
}

/** What is wrong with these imports, as readable lines (empty when nothing is). */
export function violations(edges: readonly Edge[], layers: typeof LAYERS): string[] {
  const rank = new Map<string, number>();
  layers.forEach(({ folders }, i) => folders.forEach((folder) => rank.set(folder, i)));
  const problems = new Set<string>();
  const pairs = new Set(edges.map((e) => `${e.from}>${e.to}`));
  for (const { from, to, file } of edges) {
    if (STANDALONE.has(from)) {
      problems.add(`${file}: the SDK imports nothing from the server (it imports ${to}/)`);
      continue;
    }
    if (to === '(outside src)') continue;
    for (const folder of [from, to])
      if (!rank.has(folder) && !STANDALONE.has(folder)) problems.add(`src/${folder}/ has no layer: add it to LAYERS in test/architecture/layers.test.ts`);
    if (STANDALONE.has(to)) problems.add(`${file}: imports the SDK (${to}/), which is a client of the server`);
    const a = rank.get(from);
    const b = rank.get(to);
    if (a !== undefined && b !== undefined && b > a)
      problems.add(`${file}: ${from}/ (${layers[a].layer}) imports ${to}/ (${layers[b].layer}), a layer above it`);
    if (pairs.has(`${to}>${from}`)) problems.add(`${from}/ and ${to}/ import each other (${file} is one of the imports)`);
  }
  return [...problems].sort();
}

describe('layers', () => {
  it('no folder imports a folder above it, and no two folders import each other', () => {
    expect(violations(folderImports(), LAYERS)).toEqual([]);
  });

  it('catches an upward import, a cycle and an unplaced folder', () => {
    const edges: Edge[] = [
      { from: 'users', to: 'identity', file: 'users/ok.ts' },
      { from: 'identity', to: 'users', file: 'identity/up.ts' },
      { from: 'nowhere', to: 'errors', file: 'nowhere/x.ts' },
    ];
    expect(violations(edges, LAYERS)).toEqual([
      'identity/ and users/ import each other (identity/up.ts is one of the imports)',
      'identity/up.ts: identity/ (identity) imports users/ (features), a layer above it',
      'src/nowhere/ has no layer: add it to LAYERS in test/architecture/layers.test.ts',
      'users/ and identity/ import each other (users/ok.ts is one of the imports)',
    ]);
  });
});
