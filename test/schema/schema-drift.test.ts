import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printKeygateSchema } from '../../src/schema/print-schema';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing resolvers)', async () => {
    const committed = readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8');
    expect(committed).toBe(await printKeygateSchema());
  });

  it('prints the authorization directives on every root field', async () => {
    const sdl = await printKeygateSchema();
    const rootFields = [...sdl.matchAll(/type (Query|Mutation) \{([\s\S]*?)\n\}/g)].flatMap((m) =>
      m[2].split('\n').filter((line) => /^  \w+[(:]/.test(line)),
    );
    expect(rootFields.length).toBeGreaterThan(5);
    for (const line of rootFields) expect(line).toMatch(/@(public|authenticated|requiresScopes)/);
  });
});
