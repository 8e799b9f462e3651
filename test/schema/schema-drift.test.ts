import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, type ObjectTypeDefinitionNode, parse } from 'graphql';
import { printKeygateSchema } from '../../src/schema/print-schema';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing resolvers)', async () => {
    const committed = readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8');
    expect(committed).toBe(await printKeygateSchema());
  });

  it('prints exactly one authorization directive on every root field', async () => {
    const doc = parse(await printKeygateSchema());
    const roots = doc.definitions.filter(
      (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && ['Query', 'Mutation'].includes(d.name.value),
    );
    const fields = roots.flatMap((r) => r.fields ?? []);
    expect(fields.length).toBeGreaterThan(15);
    for (const field of fields) {
      const guards = (field.directives ?? []).filter((d) => ['public', 'authenticated', 'requiresScopes'].includes(d.name.value));
      expect([field.name.value, guards.length]).toEqual([field.name.value, 1]);
    }
  });
});
