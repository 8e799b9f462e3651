import { buildSchema, GraphQLSchema, type FieldNode, Kind, type OperationDefinitionNode, parse, print, printSchema } from 'graphql';
import { COST_DIRECTIVES } from '../../src/cost/cost-directives';
import { CostVariablesError } from '../../src/cost/cost-errors';
import { buildCostModel, type CostModelOptions } from '../../src/cost/cost-model';

/** The cost directives as Keygate declares them, ahead of each test's own SDL. */
const DIRECTIVES = printSchema(new GraphQLSchema({ directives: COST_DIRECTIVES }));

function model(sdl: string, options?: CostModelOptions) {
  return buildCostModel(buildSchema(`${DIRECTIVES}\n${sdl}`, { assumeValidSDL: true }), options);
}

function estimate(m: ReturnType<typeof model>, query: string, variables?: Record<string, unknown>) {
  const doc = parse(query);
  return m.estimate(doc, undefined, variables);
}

const IBM = `
  type User { name: String age: Int @cost(weight: 2) }
  type Query { users(max: Int): [User] @listSize(slicingArguments: ["max"]) }
`;

describe('cost model: the IBM spec example', () => {
  it('users(max: 5) { age } costs 11 estimated and 7 actual with 3 users', () => {
    const m = model(IBM);
    const doc = parse('{ users(max: 5) { age } }');
    expect(m.estimate(doc).cost).toBe(11);
    const actual = m.actual(doc, undefined, {}, { users: [{ age: 33 }, { age: 45 }, { age: 27 }] });
    expect(actual.cost).toBe(7);
    expect([...actual.byRootField]).toEqual([['users', 7]]);
  });

  it('counts the objects the query may return (nodeCount)', () => {
    expect(estimate(model(IBM), '{ users(max: 5) { name } }')).toEqual({ cost: 1, nodeCount: 5 });
  });
});

describe('cost model: defaults', () => {
  const sdl = `
    type Item { id: ID! owner: Owner tags: [String!]! }
    type Owner { name: String }
    enum Colour { RED }
    type Query { item: Item colour: Colour items: [Item!]! }
    type Mutation { touch: Item rename: String }
  `;

  it('prices an object field 1, a scalar or enum field 0', () => {
    expect(estimate(model(sdl), '{ item { id owner { name } } colour }').cost).toBe(2);
  });

  it('adds 10 for each mutation root field, and only at the root', () => {
    expect(estimate(model(sdl), 'mutation { touch { owner { name } } rename }').cost).toBe(11 + 1 + 10);
  });

  it('sizes an unannotated list with the default list size (10), or the configured one', () => {
    expect(estimate(model(sdl), '{ items { owner { name } } }').cost).toBe(1 + 10);
    expect(estimate(model(sdl, { defaultListSize: 3 }), '{ items { owner { name } } }').cost).toBe(1 + 3);
  });

  it('does not price __typename or introspection', () => {
    expect(estimate(model(sdl), '{ __typename __schema { types { name } } item { __typename } }').cost).toBe(1);
  });
});

describe('cost model: @cost', () => {
  const sdl = `
    scalar Big @cost(weight: 3)
    enum Level @cost(weight: 2) { LOW HIGH }
    type Heavy @cost(weight: 4) { id: ID }
    input Filter { exact: Boolean @cost(weight: 5) nested: Filter name: String }
    type Query {
      big: Big
      level: Level
      heavy: Heavy @cost(weight: 6)
      heavies: [Heavy] @listSize(assumedSize: 2)
      search(filter: Filter @cost(weight: 7), cheap: Boolean @cost(weight: -20)): Heavy
    }
  `;

  it('adds the weight of scalars, enums and fields', () => {
    expect(estimate(model(sdl), '{ big level }').cost).toBe(5);
    expect(estimate(model(sdl), '{ heavy { id } }').cost).toBe(1 + 6 + 4);
  });

  it("adds an object type's weight for every object of it", () => {
    expect(estimate(model(sdl), '{ heavies { id } }').cost).toBe(1 + 2 * 4);
  });

  it('adds the weights of arguments and input fields given, from literals or variables', () => {
    const m = model(sdl);
    expect(estimate(m, '{ search { id } }').cost).toBe(5);
    expect(estimate(m, '{ search(filter: { name: "a" }) { id } }').cost).toBe(5 + 7);
    expect(estimate(m, '{ search(filter: { exact: true, nested: { exact: false } }) { id } }').cost).toBe(5 + 7 + 5 + 5);
    const query = 'query($f: Filter) { search(filter: $f) { id } }';
    expect(estimate(m, query, { f: { exact: true } }).cost).toBe(5 + 7 + 5);
    expect(estimate(m, query, {}).cost).toBe(5);
    expect(estimate(m, query, { f: null }).cost).toBe(5);
  });

  it("never lets a field's own cost go below 0", () => {
    expect(estimate(model(sdl), '{ search(cheap: true) { id } }').cost).toBe(4);
  });
});

describe('cost model: lists', () => {
  const sdl = `
    type Node { id: ID child: Node }
    type Edge { cursor: String node: Node }
    type Connection { nodes: [Node] edges: [Edge] total: Int page: Node }
    type Query {
      range(first: Int, last: Int): [Node] @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
      defaulted(first: Int = 7): [Node] @listSize(slicingArguments: ["first"])
      assumed(first: Int): [Node] @listSize(assumedSize: 4, slicingArguments: ["first"])
      conn(first: Int = 5): Connection @listSize(slicingArguments: ["first"], sizedFields: ["nodes", "edges"])
      grid: [[Node]] @listSize(assumedSize: 3)
    }
  `;
  const m = model(sdl);

  it('takes the largest slicing argument given', () => {
    expect(estimate(m, '{ range(first: 3, last: 8) { child { id } } }').cost).toBe(1 + 8);
  });

  it('resolves slicing arguments from variables, and an unset variable leaves the schema default', () => {
    const query = 'query($n: Int) { defaulted(first: $n) { child { id } } }';
    expect(estimate(m, query, { n: 2 }).cost).toBe(1 + 2);
    expect(estimate(m, query, {}).cost).toBe(1 + 7);
    expect(estimate(m, 'query($n: Int = 9) { defaulted(first: $n) { child { id } } }', {}).cost).toBe(1 + 9);
  });

  it('counts a schema default, else assumedSize, else the default list size', () => {
    expect(estimate(m, '{ defaulted { child { id } } }').cost).toBe(1 + 7);
    expect(estimate(m, '{ assumed { child { id } } }').cost).toBe(1 + 4);
    expect(estimate(m, '{ range { child { id } } }').cost).toBe(1 + 10);
  });

  it('applies sizedFields to the connection fields, not to the connection itself', () => {
    expect(estimate(m, '{ conn(first: 3) { total page { id } nodes { child { id } } edges { node { id } } } }').cost).toBe(1 + 1 + (1 + 3) + (1 + 3));
    expect(estimate(m, '{ conn { nodes { child { id } } } }')).toEqual({ cost: 1 + 1 + 5, nodeCount: 1 + 5 + 5 });
  });

  it('multiplies nested lists level by level', () => {
    expect(estimate(m, '{ grid { child { id } } }').cost).toBe(1 + 9);
  });

  it('prices actual cost by the lengths that came back', () => {
    const doc = parse('{ conn(first: 50) { nodes { child { id } } } }');
    expect(m.estimate(doc).cost).toBe(52);
    const actual = m.actual(doc, undefined, {}, { conn: { nodes: [{ child: { id: '1' } }, { child: null }, null] } });
    expect(actual.cost).toBe(1 + 1 + 1);
  });
});

describe('cost model: abstract types', () => {
  const sdl = `
    type Cheap { id: ID }
    type Dear @cost(weight: 5) { id: ID friend: Cheap }
    union Thing = Cheap | Dear
    interface Named { name: String }
    type Person implements Named { name: String pet: Cheap }
    type Robot implements Named { name: String }
    type Query { thing: Thing things: [Thing] @listSize(assumedSize: 2) named: Named }
  `;
  const m = model(sdl);

  it('takes the most expensive possible type', () => {
    expect(estimate(m, '{ thing { ... on Cheap { id } } }').cost).toBe(1 + 5);
    expect(estimate(m, '{ thing { ... on Dear { friend { id } } } }').cost).toBe(1 + 5 + 1);
    expect(estimate(m, '{ named { name ... on Person { pet { id } } } }').cost).toBe(2);
  });

  it('prices each returned object by its own type', () => {
    const doc = parse('{ things { __typename ... on Dear { friend { id } } } }');
    expect(m.estimate(doc).cost).toBe(1 + 2 * 6);
    expect(m.actual(doc, undefined, {}, { things: [{ __typename: 'Cheap' }, { __typename: 'Dear', friend: null }] }).cost).toBe(1 + 0 + 5);
  });
});

describe('cost model: fragments and conditions', () => {
  const m = model(IBM);

  it('merges fields selected twice, through fragments and inline fragments alike', () => {
    const query = '{ users(max: 5) { age ...F ... on User { age } } } fragment F on User { age name }';
    expect(estimate(m, query).cost).toBe(11);
  });

  it('honours @skip and @include, with literals and variables', () => {
    expect(estimate(m, '{ users(max: 5) { age @skip(if: true) } }').cost).toBe(1);
    const query = 'query($with: Boolean!) { users(max: 5) { ...F @include(if: $with) } } fragment F on User { age }';
    expect(estimate(m, query, { with: true }).cost).toBe(11);
    expect(estimate(m, query, { with: false }).cost).toBe(1);
    const doc = parse(query);
    expect(m.actual(doc, undefined, { with: false }, { users: [{}, {}] }).cost).toBe(1);
  });

  it('compiles once per operation node, then only applies the variables', () => {
    const doc = parse('query($n: Int) { users(max: $n) { age } }');
    expect(m.estimate(doc, undefined, { n: 1 }).cost).toBe(3);
    expect(m.estimate(doc, undefined, { n: 100 }).cost).toBe(201);
    // The plan is kept with the node: editing the node afterwards is not seen, a new document is.
    const users = (doc.definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
    (users.arguments![0] as { value: unknown }).value = { kind: Kind.INT, value: '2' };
    expect(m.estimate(doc, undefined, { n: 100 }).cost).toBe(201);
    expect(m.estimate(parse(print(doc)), undefined, { n: 100 }).cost).toBe(5);
  });

  it('picks the operation by name in a document of several', () => {
    const doc = parse('query A { users(max: 1) { age } } query B { users(max: 2) { age } }');
    expect(m.estimate(doc, 'B').cost).toBe(5);
  });
});

describe('cost model: bad input', () => {
  const m = model(IBM);

  it('refuses variables that do not coerce with a typed error that does not repeat them', () => {
    const run = () => estimate(m, 'query($n: Int) { users(max: $n) { age } }', { n: 'secret-value' });
    expect(run).toThrow(CostVariablesError);
    expect(run).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.not.stringContaining('secret-value') }));
    expect(() => estimate(m, 'query($b: Boolean!) { users(max: 1) @include(if: $b) { age } }', { b: 'yes' })).toThrow(CostVariablesError);
  });

  it('ignores variables the cost does not depend on', () => {
    expect(estimate(m, 'query($s: String) { users(max: 1) { age } }', { s: 42 }).cost).toBe(3);
  });

  it('stays finite with absurd slicing arguments', () => {
    const deep = model(`type N { kids(n: Int): [N] @listSize(slicingArguments: ["n"]) id: ID } type Query { n: N }`);
    const cost = estimate(
      deep,
      '{ n { kids(n: 2147483647) { kids(n: 2147483647) { kids(n: 2147483647) { kids(n: 2147483647) { kids(n: 2147483647) { id } } } } } } }',
    ).cost;
    expect(Number.isFinite(cost)).toBe(true);
    expect(cost).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('cost model: sizers and overrides', () => {
  const sdl = `
    type Row { v: Int @cost(weight: 1) }
    type Query { rows(from: Int!, to: Int!): [Row] @listSize(assumedSize: 100) plain: [Row] }
  `;
  const sizers = new Map([['Query.rows', (args: Record<string, unknown>) => (args.to as number) - (args.from as number)]]);

  it('sizes a list from its other arguments through a sizer keyed by coordinate', () => {
    const m = model(sdl, { sizers });
    expect(estimate(m, '{ rows(from: 2, to: 5) { v } }').cost).toBe(1 + 3);
    expect(estimate(m, 'query($to: Int!) { rows(from: 0, to: $to) { v } }', { to: 40 }).cost).toBe(1 + 40);
  });

  it('lets overrides replace or add weights and sizes', () => {
    const overrides = new Map([
      ['Query.plain', { weight: 4, assumedSize: 2 }],
      ['Row.v', { weight: 3 }],
    ]);
    expect(estimate(model(sdl, { overrides }), '{ plain { v } }').cost).toBe(1 + 4 + 2 * 3);
  });
});
