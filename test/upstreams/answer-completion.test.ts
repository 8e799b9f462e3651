import fc from 'fast-check';
import { buildSchema, execute, type FragmentDefinitionNode, type GraphQLFieldResolver, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { AnswerCompletion } from '../../src/upstreams/answer-completion';

/**
 * The planned path completes an upstream's answer itself (answer-completion.ts). It must give
 * what graphql-js gives for the same operation over the same data (which is what the stitched
 * path gives): the same data, and errors at the same paths, for good answers and bad ones.
 */
const schema = buildSchema(/* GraphQL */ `
  type Query {
    items: [Item!]!
    maybe: [Item]
    one: Item!
    search: [Result!]
    n: Int
    name: String!
  }
  interface Item {
    id: ID!
    cost: Float
    tags: [String!]
  }
  type Widget implements Item {
    id: ID!
    cost: Float
    tags: [String!]
    size: Int!
  }
  type Service implements Item {
    id: ID!
    cost: Float
    tags: [String!]
    hours: Int
  }
  union Result = Widget | Service
  enum Colour {
    RED
    GREEN
  }
`);

/** graphql-js over the same data, each field read by the key the client named it. */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _a, _c, info) =>
  source !== null && typeof source === 'object' && Object.hasOwn(source, info.path.key)
    ? (source as Record<string, unknown>)[info.path.key as string]
    : undefined;

function both(query: string, data: Record<string, unknown>, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const ours = new AnswerCompletion(schema, fragments, operation).complete(data, variables);
  const theirs = execute({
    schema,
    document,
    rootValue: data,
    variableValues: variables,
    fieldResolver: byResponseKey,
    typeResolver: (v) => (v as { __typename?: string }).__typename,
  }) as { data?: unknown; errors?: Array<{ path?: readonly unknown[] }> };
  return {
    ours: { data: ours.data, paths: ours.errors.map((e) => e.path) },
    theirs: { data: theirs.data, paths: (theirs.errors ?? []).map((e) => e.path) },
  };
}

const W = (id: string, extra: Record<string, unknown> = {}) => ({ __typename: 'Widget', id, size: 1, ...extra });
const S = (id: string, extra: Record<string, unknown> = {}) => ({ __typename: 'Service', id, hours: 2, ...extra });

const CASES: Array<[string, string, Record<string, unknown>, Record<string, unknown>]> = [
  ['good answer, extra fields dropped', '{ items { id ... on Widget { size } } n }', { items: [W('w', { secret: 1 }), S('s')], n: 3, extra: 1 }, {}],
  ['aliases and merged keys', '{ a: items { id } a: items { cost } b: one { __typename id } }', { a: [W('w', { cost: 2 })], b: W('x') }, {}],
  [
    'fragments on interface and union',
    'query { search { ...R } } fragment R on Result { ... on Item { id } ... on Service { hours } }',
    { search: [S('s'), W('w')] },
    {},
  ],
  [
    'skip and include with variables',
    'query($s: Boolean!) { items { id @skip(if: $s) cost @include(if: $s) } }',
    { items: [W('w', { cost: 1 })] },
    { s: true },
  ],
  ['null in a non-null list item bubbles to the list', '{ maybe { id } }', { maybe: [W('w'), { __typename: 'Widget', id: null }] }, {}],
  ['null in a non-null field of a non-null list nulls the root', '{ items { id } }', { items: [{ __typename: 'Widget', id: null }] }, {}],
  ['a non-null root field missing', '{ one { id } n }', { n: 1 }, {}],
  ['wrong scalar types', '{ n name items { cost tags } }', { n: 'x', name: 5, items: [W('w', { cost: 'cheap', tags: 'a' })] }, {}],
  ['an unknown type name', '{ maybe { id } }', { maybe: [{ __typename: 'Gizmo', id: '1' }] }, {}],
  ['no type name', '{ search { __typename } }', { search: [{ id: 'x' }] }, {}],
  ['an object where a list belongs, a list where an object belongs', '{ maybe { id } one { id } }', { maybe: { id: 'x' }, one: [W('w')] }, {}],
  ['nested non-null under a nullable object', '{ search { ... on Widget { size } } }', { search: [W('w', { size: null })] }, {}],
];

describe('answer completion agrees with graphql-js', () => {
  it.each(CASES)('%s', (_name, query, data, variables) => {
    const { ours, theirs } = both(query, data, variables);
    expect(ours).toEqual(theirs);
  });
});

describe('answer completion agrees with graphql-js on arbitrary answers', () => {
  // Answers an upstream could send for these operations: JSON of any shape, with type names now and then.
  const typename = fc.constantFrom('Widget', 'Service', 'Gizmo', 'Query', '__proto__', 'constructor');
  const node: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 1 }),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.record(
        {
          __typename: typename,
          id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          cost: fc.jsonValue({ maxDepth: 1 }),
          size: tie('value'),
          hours: tie('value'),
          tags: tie('value'),
        },
        { requiredKeys: [] },
      ),
    ),
  })).value;
  const QUERIES = [
    '{ items { id cost ... on Widget { size } ... on Service { hours tags } } n name }',
    'query { maybe { __typename id } one { id ... on Widget { size } } search { ... on Item { id } } }',
    'query($s: Boolean!) { a: maybe { id @include(if: $s) cost @skip(if: $s) } b: one { tags } }',
  ];
  it.each(QUERIES)('%s', (query) => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('items', 'maybe', 'one', 'search', 'n', 'name', 'a', 'b'), node), fc.boolean(), (data, s) => {
        const { ours, theirs } = both(query, data, { s });
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });
});
