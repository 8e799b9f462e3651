import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from 'graphql';
import { buildKeygateSchema } from '../../src/schema/build-schema';

/** What GraphiQL's docs would show without a word of explanation. */
async function undescribed(): Promise<string[]> {
  const schema = await buildKeygateSchema();
  const missing: string[] = [];
  const blank = (text: string | null | undefined) => !text || text.trim() === '';
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    // Root types are described by their fields.
    if (blank(type.description) && type !== schema.getQueryType() && type !== schema.getMutationType()) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) for (const value of type.getValues()) if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
  }
  for (const directive of schema.getDirectives()) if (blank(directive.description)) missing.push(`@${directive.name}`);
  return missing;
}

describe('schema documentation', () => {
  it('describes every type, field, enum value and directive', async () => {
    expect(await undescribed()).toEqual([]);
  });
});
