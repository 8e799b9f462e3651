import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { rootFieldCoordinates } from '../../src/execution/root-fields';

const schema = buildSchema(`
  type Query { a: Int b: Int products: [Int] }
  type Mutation { create(n: Int): Int }
`);

function count(source: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && (operationName === undefined || d.name?.value === operationName),
  )!;
  return rootFieldCoordinates(schema, document, operation, variables);
}

describe('root fields of an operation', () => {
  it('counts one per response key: aliases count, repeats of one key do not', () => {
    expect(count('{ a b a }')).toEqual(['Query.a', 'Query.b']);
    expect(count('mutation { x: create(n: 1) y: create(n: 2) z: create(n: 3) }')).toEqual(['Mutation.create', 'Mutation.create', 'Mutation.create']);
  });

  it('follows fragments and inline fragments on the root type, once per fragment', () => {
    expect([...count('{ ...F ... on Query { b } ... { c: a } } fragment F on Query { a ...G } fragment G on Query { products ...F }')!].sort()).toEqual(
      ['Query.a', 'Query.b', 'Query.a', 'Query.products'].sort(),
    );
  });

  it('honours @skip and @include with the request variables', () => {
    const source = 'query($s: Boolean!, $i: Boolean = true) { a @skip(if: $s) b @include(if: $i) ...F @skip(if: true) } fragment F on Query { products }';
    expect(count(source, { s: true })).toEqual(['Query.b']);
    expect(count(source, { s: false, i: false })).toEqual(['Query.a']);
  });

  it('counts introspection and __typename like any field, and nothing for variables that do not coerce', () => {
    expect(count('{ __typename __schema { queryType { name } } a }')).toEqual(['Query.__typename', 'Query.__schema', 'Query.a']);
    expect(count('query($s: Boolean!) { a @skip(if: $s) }', { s: 'yes' })).toBeUndefined();
    expect(count('query Two { b } query One { a }', undefined, 'Two')).toEqual(['Query.b']);
  });

  it('counts nothing, and does not throw, for a condition that is null (a defaulted variable sent as null)', () => {
    expect(count('query($v: Boolean = true) { a @include(if: $v) b }', { v: null })).toBeUndefined();
    expect(count('query($v: Boolean = true) { ... @skip(if: $v) { a } }', { v: null })).toBeUndefined();
  });

  it('walks deeply nested fragments without recursion', () => {
    let source = '{ ...F0 }';
    for (let i = 0; i < 2000; i++) source += ` fragment F${i} on Query { ... { ...F${i + 1} } }`;
    source += ' fragment F2000 on Query { a }';
    expect(count(source)).toEqual(['Query.a']);
  });
});
