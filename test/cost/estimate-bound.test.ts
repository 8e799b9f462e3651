import fc from 'fast-check';
import {
  buildSchema,
  execute,
  getNamedType,
  type GraphQLResolveInfo,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  printSchema,
  GraphQLSchema,
} from 'graphql';
import { COST_DIRECTIVES } from '../../src/cost/cost-directives';
import { buildCostModel } from '../../src/cost/cost-model';

const schema = buildSchema(
  `${printSchema(new GraphQLSchema({ directives: COST_DIRECTIVES }))}
  interface Named { name: String }
  type A implements Named @cost(weight: 2) {
    name: String
    score: Int @cost(weight: 3)
    kids(first: Int = 4): [A] @listSize(slicingArguments: ["first"])
    tag: Tag
  }
  type B implements Named { name: String friends: [A] @listSize(assumedSize: 3) }
  union Tag = A | B
  type Edge { node: B }
  type Conn { nodes: [A] edges: [Edge] total: Int }
  type Query {
    named(first: Int, last: Int): [Named] @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
    conn(first: Int = 5): Conn @listSize(slicingArguments: ["first"], sizedFields: ["nodes", "edges"])
    one: Tag
    cheap(approx: Boolean @cost(weight: -3)): A @cost(weight: 2)
  }
  type Mutation { make(n: Int): [A] @listSize(slicingArguments: ["n"]) }`,
  { assumeValidSDL: true },
);

/** A tiny deterministic generator, so fast-check's seed decides the whole query and response. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (max: number) => Math.floor(next() * (max + 1)), yes: () => next() < 0.5 };
}

type Rng = ReturnType<typeof random>;

// `spreadB`: false inside fragment B itself, which must not spread itself (a cycle is not a valid document).
function selectA(r: Rng, depth: number, spreadB = true): string {
  const parts = ['__typename'];
  if (r.yes()) parts.push('name');
  if (r.yes()) parts.push('score');
  if (depth > 0 && r.yes())
    parts.push(r.yes() ? `kids(first: ${r.int(6)}) { ${selectA(r, depth - 1, spreadB)} }` : `kids { ${selectA(r, depth - 1, spreadB)} }`);
  if (depth > 0 && r.yes()) parts.push(`tag { ${selectTag(r, depth - 1, spreadB)} }`);
  return parts.join(' ');
}

function selectB(r: Rng, depth: number, spreadB = true): string {
  const parts = ['name'];
  if (depth > 0 && r.yes()) parts.push(`friends { ${selectA(r, depth - 1, spreadB)} }`);
  return parts.join(' ');
}

function selectTag(r: Rng, depth: number, spreadB = true): string {
  const parts = ['__typename'];
  if (r.yes()) parts.push(`... on A { ${selectA(r, depth, spreadB)} }`);
  if (r.yes()) parts.push(spreadB ? '...B' : `... on B { ${selectB(r, depth, false)} }`);
  return parts.join(' ');
}

function query(r: Rng): { text: string; variables: Record<string, unknown> } {
  if (r.int(5) === 0)
    return { text: `mutation($n: Int) { make(n: $n) { ${selectA(r, 2)} } } fragment B on B { ${selectB(r, 1, false)} }`, variables: { n: r.int(5) } };
  const roots: string[] = [];
  if (r.yes()) roots.push(`named(first: $first${r.yes() ? `, last: ${r.int(12)}` : ''}) { name ... on A { ${selectA(r, 2)} } ... on B { ${selectB(r, 2)} } }`);
  if (r.yes()) roots.push(`conn${r.yes() ? '(first: 3)' : ''} { total nodes { ${selectA(r, 2)} } edges { node { ...B } } }`);
  if (r.yes()) roots.push(`one { ${selectTag(r, 2)} }`);
  if (r.yes()) roots.push(`cheap(approx: ${r.yes()}) @include(if: $show) { ${selectA(r, 1)} }`);
  if (!roots.length) roots.push('one { __typename }');
  const variables = { first: r.yes() ? r.int(8) : null, show: r.yes() };
  return { text: `query($first: Int, $show: Boolean!) { ${roots.join(' ')} } fragment B on B { ${selectB(r, 2, false)} }`, variables };
}

/** The bound execution must respect: the list size the schema's directives promise for this field. */
function bound(info: GraphQLResolveInfo, args: Record<string, unknown>, source: Record<string, unknown>): number {
  const field = `${info.parentType.name}.${info.fieldName}`;
  if (field === 'A.kids') return (args.first as number) ?? 4;
  if (field === 'Query.named')
    return Math.max((args.first as number) ?? -1, (args.last as number) ?? -1) >= 0 ? Math.max((args.first as number) ?? 0, (args.last as number) ?? 0) : 10;
  if (field === 'B.friends') return 3;
  if (field === 'Conn.nodes' || field === 'Conn.edges') return source.size as number;
  if (field === 'Mutation.make') return (args.n as number) ?? 10;
  return 10;
}

/** Answers every field with made-up data: lists up to their bound, nulls now and then, a random member of an abstract type. */
function responder(r: Rng) {
  return (source: Record<string, unknown>, args: Record<string, unknown>, _ctx: unknown, info: GraphQLResolveInfo) => {
    if (r.int(9) === 0) return null;
    const named = getNamedType(info.returnType);
    const make = () => {
      if (isObjectType(named) || isAbstractType(named)) {
        const types = isAbstractType(named) ? schema.getPossibleTypes(named) : [named];
        return { __t: types[r.int(types.length - 1)].name, size: info.fieldName === 'conn' ? ((args.first as number) ?? 5) : undefined };
      }
      return named.name === 'Int' ? r.int(100) : 'x';
    };
    const type = isNonNullType(info.returnType) ? info.returnType.ofType : info.returnType;
    if (!isListType(type)) return make();
    return Array.from({ length: r.int(bound(info, args, source)) }, () => (r.int(9) === 0 ? null : make()));
  };
}

describe('cost model: the estimate bounds the actual cost', () => {
  const model = buildCostModel(schema);

  it('estimate >= actual for any query whose lists stay within their sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const r = random(seed);
        const { text, variables } = query(r);
        const document = parse(text);
        const result = await execute({
          schema,
          document,
          variableValues: variables,
          fieldResolver: responder(r),
          typeResolver: (v) => (v as { __t: string }).__t,
        });
        expect(result.errors).toBeUndefined();
        const estimated = model.estimate(document, undefined, variables);
        const actual = model.actual(document, undefined, variables, result.data);
        expect(actual.cost).toBeLessThanOrEqual(estimated.cost);
        expect([...actual.byRootField.values()].reduce((a, b) => a + b, 0)).toBe(actual.cost);
      }),
      { numRuns: 300 },
    );
  });
});
