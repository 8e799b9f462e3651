import { buildSchema } from 'graphql';
import { documentOf, rememberSchemaNames, withoutClientText } from '../../src/errors/client-text';
import { withoutEchoedValues } from '../../src/errors/echoed-values';

describe('client-written text in request errors', () => {
  beforeAll(() => rememberSchemaNames(buildSchema('type Query { clientKeys(first: Int, status: Status): Int viewer: Int } enum Status { ACTIVE REVOKED }')));
  const secret = 'kg_' + 'x7'.repeat(20);

  it('replaces names the schema does not define and every literal, keeps the schema names', () => {
    expect(withoutClientText(`Cannot query field "${secret}" on type "Query".`, `{ ${secret} }`)).toBe('Cannot query field "…" on type "Query".');
    expect(withoutClientText('Cannot query field "viewr" on type "Query". Did you mean "viewer"?', '{ viewr }')).toBe(
      'Cannot query field "…" on type "Query". Did you mean "viewer"?',
    );
    expect(withoutClientText(`Something quoted "${secret}"`, `{ clientKeys(status: "${secret}") }`)).toBe('Something quoted "…"');
    expect(withoutClientText('Unknown argument "status" on field "Query.clientKeys".', '{ clientKeys(status: ACTIVE) }')).toBe(
      'Unknown argument "status" on field "Query.clientKeys".',
    );
  });

  it('does not garble a message when a client name is one of its words', () => {
    expect(
      withoutClientText('Variable "$type" of type "String" used in position expecting type "Int".', 'query($type: String) { clientKeys(first: $type) }'),
    ).toBe('Variable "$type" of type "String" used in position expecting type "Int".');
  });

  it('rebuilds literal-carrying messages from graphql-js without the literal', () => {
    expect(withoutEchoedValues(`Int cannot represent non-integer value: ${secret}`)).toBe('Expected a value of type "Int"');
    expect(withoutEchoedValues(`Value "${secret}" does not exist in "Status" enum. Did you mean the enum value "ACTIVE"?`)).toBe(
      'Expected a value of type "Status"',
    );
    expect(withoutEchoedValues(`Enum "Status" cannot represent non-enum value: "${secret}".`)).toBe('Expected a value of type "Status"');
    expect(withoutEchoedValues(`Syntax Error: Expected Name, found String "${secret}".`)).toBe('Syntax Error: Expected Name, found String.');
    expect(withoutEchoedValues(`Syntax Error: Unexpected Name "${secret}".`)).toBe('Syntax Error: Unexpected Name.');
    expect(withoutEchoedValues(`Unknown operation named "${secret}".`)).toBe('Unknown operation name');
    expect(withoutEchoedValues(`Field "${secret}" is not defined by type "CreateClientKeyInput".`)).toBe(
      'A field is not defined by type "CreateClientKeyInput"',
    );
  });

  it('rebuilds lexer messages without the characters they quote', () => {
    expect(withoutEchoedValues('Syntax Error: Invalid Unicode escape sequence: "\\uSECR".')).toBe('Syntax Error: Invalid Unicode escape sequence.');
    expect(withoutEchoedValues('Syntax Error: Invalid character escape sequence: "\\q".')).toBe('Syntax Error: Invalid character escape sequence.');
    expect(withoutEchoedValues('Syntax Error: Unexpected character: "~".')).toBe('Syntax Error: Unexpected character.');
    expect(withoutEchoedValues('Syntax Error: Unexpected character: U+00E9.')).toBe('Syntax Error: Unexpected character.');
    expect(withoutEchoedValues('Syntax Error: Invalid character within String: U+D800.')).toBe('Syntax Error: Invalid character within String.');
    expect(withoutEchoedValues('Syntax Error: Invalid number, expected digit but got: "k".')).toBe('Syntax Error: Invalid number, expected a digit.');
    expect(withoutEchoedValues(`Syntax Error: Unexpected variable "$${secret}" in constant value.`)).toBe(
      'Syntax Error: Unexpected variable in constant value.',
    );
    // Messages that quote nothing the client wrote stay as they are.
    expect(withoutEchoedValues('Syntax Error: Unterminated string.')).toBe('Syntax Error: Unterminated string.');
  });

  it('finds the document an error points into', () => {
    expect(documentOf({ source: { body: '{ a }' } })).toBe('{ a }');
    expect(documentOf({ originalError: { nodes: [{ loc: { source: { body: '{ b }' } } }] } })).toBe('{ b }');
    expect(documentOf(new Error('x'))).toBeUndefined();
  });
});
