import { buildSchema } from 'graphql';
import { isSchemaName, rememberSchemaNames, SCHEMAS_REMEMBERED, schemaNameCount } from '../../src/errors/client-text';

/**
 * Issue #20, finding 9: the names error messages may repeat are those of the schemas in use,
 * not of every schema ever built in the process (each gateway reload used to add its names for
 * good). The registry keeps the last few schemas' names, enough for the apps of one process.
 */
describe('the registry of schema names stays bounded', () => {
  const schemaWith = (name: string) => buildSchema(`type Query { ${name}(arg_${name}: Int): Int }`);

  it('holds at most the last few schemas, however many are built, and always knows the newest', () => {
    const sizeOfOne = (() => {
      const before = schemaNameCount();
      rememberSchemaNames(schemaWith('probeField'));
      return schemaNameCount() - before;
    })();
    for (let i = 0; i < 500; i++) rememberSchemaNames(schemaWith(`reloaded${i}`));
    expect(schemaNameCount()).toBeLessThanOrEqual(SCHEMAS_REMEMBERED * Math.max(sizeOfOne, 20) + 50);
    expect(isSchemaName('reloaded499')).toBe(true);
    expect(isSchemaName(`reloaded${499 - SCHEMAS_REMEMBERED + 1}`)).toBe(true);
    // Forgotten: an old schema's field name is client text again, replaced in messages.
    expect(isSchemaName('reloaded0')).toBe(false);
    expect(isSchemaName('__typename')).toBe(true);
  });

  it('remembering the same schema again adds nothing', () => {
    const schema = schemaWith('sameAgain');
    rememberSchemaNames(schema);
    const count = schemaNameCount();
    for (let i = 0; i < 50; i++) rememberSchemaNames(schema);
    expect(schemaNameCount()).toBe(count);
  });
});
