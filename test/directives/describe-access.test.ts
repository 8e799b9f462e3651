import { getNamedType, isInterfaceType, isObjectType } from 'graphql';
import { getDirective } from '@graphql-tools/utils';
import { describeAccess } from '../../src/directives/describe-access';
import { buildKeygateSchema } from '../../src/schema/build-schema';
import { startTestApp, type TestApp } from '../support/test-app';

describe('access requirements in field descriptions', () => {
  it('says the scopes in words, OR of ANDs included', () => {
    expect(describeAccess([{ kind: 'scopes', anyOf: [['read:users']] }], false)).toBe('Requires scope `read:users` (@requiresScopes).');
    expect(describeAccess([{ kind: 'scopes', anyOf: [['read:users'], ['write:users', 'read:audit']] }], false)).toBe(
      'Requires scopes one of: `read:users`; or all of `write:users`, `read:audit` (@requiresScopes).',
    );
    expect(describeAccess([{ kind: 'authenticated' }], false)).toBe('Requires an authenticated caller: a user session or a client key (@authenticated).');
    expect(describeAccess([], true)).toBe('Public: no credentials needed (@public).');
  });

  it("are on every guarded field, generated from the field's directives (and its types')", async () => {
    const schema = await buildKeygateSchema();
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const sources = [field, type, getNamedType(field.type)];
        const scopes = sources.flatMap((s) => getDirective(schema, s as never, 'requiresScopes') ?? []);
        const authenticated = sources.some((s) => getDirective(schema, s as never, 'authenticated'));
        const isPublic = Boolean(getDirective(schema, field, 'public'));
        if (scopes.length) {
          for (const { scopes: anyOf } of scopes)
            for (const scope of (anyOf as string[][]).flat()) expect(`${type.name}.${field.name}: ${field.description}`).toContain(`\`${scope}\``);
          expect(field.description).toMatch(/Requires scopes? .*\(@requiresScopes\)\.$/);
        } else if (authenticated) expect(field.description).toMatch(/\(@authenticated\)\.$/);
        else if (isPublic) expect(field.description).toMatch(/\(@public\)\.$/);
        else continue;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  describe('over introspection (what GraphiQL shows)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('shows createClientKey requiring write:clientkeys', async () => {
      const res = await t.gql('{ __type(name: "Mutation") { fields { name description } } }');
      const field = res.data.__type.fields.find((f: { name: string }) => f.name === 'createClientKey');
      expect(field.description).toContain('Requires scope `write:clientkeys`');
    });
  });
});
