import { type GraphQLSchema, parse } from 'graphql';
import { buildCostModel } from '../../src/cost/cost-model';
import { printKeygateSchema } from '../../src/schema/print-schema';
import { buildKeygateSchema } from '../../src/schema/build-schema';
import { USAGE_COST_SIZERS, usageBucketsSizer } from '../../src/usage/usage-cost-sizer';
import { UsageInterval } from '../../src/usage/usage-interval';

const NOW = Date.parse('2026-03-10T12:30:00.000Z');
const HOUR = 3_600_000;

describe("Keygate's own costs", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildKeygateSchema();
  });
  const model = () => buildCostModel(schema, { sizers: USAGE_COST_SIZERS, now: () => NOW });

  it('prints @listSize and @cost in schema.graphql for the lists', async () => {
    const sdl = await printKeygateSchema();
    expect(sdl).toContain('directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR');
    expect(sdl).toContain(
      'directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION',
    );
    const connection = '@listSize(assumedSize: 20, slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)';
    for (const field of ['ClientKeyConnection!', 'UserConnection!', 'AuditEventConnection!'])
      expect(sdl).toMatch(new RegExp(`${field} @requiresScopes\\([^)]*\\) ${connection.replace(/[()[\]]/g, '\\$&')}`));
    expect(sdl).toMatch(/scopes: \[Scope!\]! @authenticated @listSize\(assumedSize: 50\)/);
    expect(sdl).toMatch(/\): \[UsageBucket!\]! @listSize\(assumedSize: 2000\)/);
    expect(sdl).toMatch(/\): \[FieldUsage!\]! @listSize\(assumedSize: 50\)/);
    expect(sdl).toContain('type UsageBucket @cost(weight: 1) {');
  });

  it('sizes a connection by first, or by its default page of 20', () => {
    const m = model();
    expect(m.estimate(parse('{ clientKeys(first: 3) { totalCount nodes { owner { id } } } }'))).toEqual({ cost: 1 + 1 + 3, nodeCount: 1 + 3 + 3 });
    expect(m.estimate(parse('{ users { nodes { id } } auditEvents { nodes { id } } }')).cost).toBe(4);
    expect(m.estimate(parse('query($n: Int) { users(first: $n) { nodes { id } } }'), undefined, { n: 100 }).nodeCount).toBe(101);
  });

  it("prices 100 keys' minute-by-minute usage by the buckets it returns", () => {
    const doc = parse('query($since: DateTime!) { clientKeys(first: 100) { nodes { usage(since: $since, interval: MINUTE) { requests } } } }');
    const since = new Date(NOW - 24 * HOUR).toISOString();
    // clientKeys 1 + nodes 1 + 100 keys x (usage 1 + 1,440 buckets x 1)
    expect(model().estimate(doc, undefined, { since }).cost).toBe(2 + 100 * (1 + 1440));
    // By the hour: since is rounded down to 12:00 the day before, so 25 buckets reach 12:30 today.
    const hourly = parse('query($since: DateTime!) { clientKeys(first: 100) { nodes { usage(since: $since) { requests } } } }');
    expect(model().estimate(hourly, undefined, { since }).cost).toBe(2 + 100 * (1 + 25));
  });

  it("prices a mutation's root field 10 more", () => {
    const doc = parse('mutation { revokeClientKey(id: "1") { id owner { id } } }');
    expect(model().estimate(doc).cost).toBe(1 + 10 + 1);
  });
});

describe('usageBucketsSizer', () => {
  const at = (iso: string) => new Date(iso);

  it('counts the buckets from since (rounded down) to until, or to now', () => {
    expect(usageBucketsSizer({ since: at('2026-03-10T10:59:00Z'), until: at('2026-03-10T12:00:00Z'), interval: UsageInterval.HOUR }, NOW)).toBe(2);
    expect(usageBucketsSizer({ since: at('2026-03-10T12:00:00Z'), interval: UsageInterval.MINUTE }, NOW)).toBe(30);
    expect(usageBucketsSizer({ since: at('2026-03-01T00:00:00Z') }, NOW)).toBe(9 * 24 + 13);
  });

  it('answers at least 1 and at most the 2,000 buckets one answer holds', () => {
    expect(usageBucketsSizer({ since: at('2026-03-10T12:00:00Z'), until: at('2026-03-10T11:00:00Z') }, NOW)).toBe(1);
    expect(usageBucketsSizer({ since: at('2020-01-01T00:00:00Z'), interval: UsageInterval.MINUTE }, NOW)).toBe(2000);
  });

  it('has no opinion when since is missing', () => {
    expect(usageBucketsSizer({}, NOW)).toBeUndefined();
  });
});
