import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type GraphQLSchema, parse } from 'graphql';
import { createLogger } from '../../src/logging/logger';
import { buildKeygateSchema } from '../../src/schema/build-schema';
import { GatewayConfigError, parseGatewayConfig } from '../../src/upstreams/gateway-config';
import { buildGatewaySchema, type BuiltGateway } from '../../src/upstreams/gateway-schema';
import { UpstreamGateway } from '../../src/upstreams/upstream-gateway';
import { ScopeCatalog } from '../../src/scopes/scope-catalog';

const FILE = '/etc/keygate/keygate.yaml';

/** Uses @cost and @listSize without declaring them, as many SDLs do; weights as Apollo writes them (Int). */
const INVENTORY_SDL = `
  type Product { id: ID! name: String price: Int @cost(weight: 3) reviews: [Review] }
  type Review { id: ID stars: Int product: Product }
  type Query {
    products(first: Int = 5): [Product] @listSize(slicingArguments: ["first"]) @public
    product(id: ID!): Product @public
    catalogue: [Product] @public
  }
  type Mutation { createProduct(name: String!): Product @authenticated }
`;

/** Declares IBM's original @cost(weight: String!): the weight is a string holding a number. */
const LEGACY_SDL = `
  directive @cost(weight: String!) on FIELD_DEFINITION | OBJECT
  type Ledger @cost(weight: "4") { id: ID entries: [Entry] }
  type Entry { amount: Int @cost(weight: "2") ledger: Ledger }
  type Query { ledgers: [Ledger] @public @cost(weight: "1") }
`;

function yaml(extra = '', inventoryExtra = ''): string {
  return `
defaultListSize: 6
upstreams:
  - name: inventory
    url: http://127.0.0.1:9/graphql
    schemaFile: ./inventory.graphql
    defaultListSize: 7
    costs:
      Query.catalogue: { weight: 2, assumedSize: 4 }
      Product.name: { weight: 1 }
${inventoryExtra}
  - name: legacy
    url: http://127.0.0.1:9/graphql
    schemaFile: ./legacy.graphql
${extra}`;
}

describe('upstream costs: KEYGATE_CONFIG', () => {
  it('reads costs and defaultListSize, top-level and per upstream', () => {
    const config = parseGatewayConfig(yaml(), FILE);
    expect(config.defaultListSize).toBe(6);
    expect(config.upstreams[0]).toMatchObject({
      defaultListSize: 7,
      costs: { 'Query.catalogue': { weight: 2, assumedSize: 4 }, 'Product.name': { weight: 1 } },
    });
    expect(config.upstreams[1]).toMatchObject({ costs: {}, defaultListSize: undefined });
  });

  it.each([
    ['defaultListSize: -1\n', /^KEYGATE_CONFIG \/etc\/keygate\/keygate.yaml: defaultListSize must be 0 or more$/],
    ['upstreams:\n  - name: a\n    url: http://a/graphql\n    defaultListSize: 2.5\n', /: upstreams\[0\]\.defaultListSize must be a whole number$/],
    [
      'upstreams:\n  - name: a\n    url: http://a/graphql\n    costs:\n      products: { weight: 1 }\n',
      /: upstreams\[0\]\.costs\.products must be a field coordinate such as Query\.products$/,
    ],
    [
      'upstreams:\n  - name: a\n    url: http://a/graphql\n    costs:\n      Query.products: { assumedSize: "many" }\n',
      /: upstreams\[0\]\.costs\["Query\.products"\]\.assumedSize /,
    ],
    [
      'upstreams:\n  - name: a\n    url: http://a/graphql\n    costs:\n      Query.products: { weigth: 1 }\n',
      /: upstreams\[0\]\.costs\["Query\.products"\] .*weigth/,
    ],
  ])('refuses a bad cost setting with one line: %j', (text, message) => {
    let caught: unknown;
    try {
      parseGatewayConfig(text, FILE);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayConfigError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('\n');
  });
});

describe('upstream costs: the stitched schema is priced from SDL and config', () => {
  let keygate: GraphQLSchema;
  let dir: string;
  const logger = createLogger('silent');
  const identity = { tokenFor: () => 'unused' };
  const built: BuiltGateway[] = [];

  beforeAll(async () => {
    keygate = await buildKeygateSchema();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-costs-'));
    fs.writeFileSync(path.join(dir, 'inventory.graphql'), INVENTORY_SDL);
    fs.writeFileSync(path.join(dir, 'legacy.graphql'), LEGACY_SDL);
  });
  afterAll(() => {
    built.forEach((b) => b.close());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function gateway(text = yaml()) {
    const b = await buildGatewaySchema(keygate, parseGatewayConfig(text, path.join(dir, 'keygate.yaml')), identity, logger);
    built.push(b);
    return b;
  }
  const cost = (b: BuiltGateway, query: string, variables?: Record<string, unknown>) => b.costModel.estimate(parse(query), undefined, variables).cost;

  it("prices upstream fields from the SDL's @cost and @listSize", async () => {
    const b = await gateway();
    expect(cost(b, '{ products(first: 2) { price } }')).toBe(1 + 2 * 3);
    expect(cost(b, 'query($n: Int) { products(first: $n) { id } }', { n: 40 })).toBe(1);
    expect(cost(b, '{ products { price } }')).toBe(1 + 5 * 3);
  });

  it('reads weights written as strings', async () => {
    const b = await gateway();
    // ledgers: 1 + "1"; per ledger (6, the top-level size): Ledger's "4" + entries 1 + 6 x (amount "2" + ledger 1 + Ledger's "4")
    expect(cost(b, '{ ledgers { entries { amount ledger { id } } } }')).toBe(2 + 6 * (4 + 1 + 6 * (2 + 1 + 4)));
  });

  it('refuses an SDL whose weight is not a number, with one line', async () => {
    fs.writeFileSync(path.join(dir, 'bad.graphql'), 'type Query { x: Int @public @cost(weight: "lots") }');
    const text = yaml().replace('./legacy.graphql', './bad.graphql');
    await expect(gateway(text)).rejects.toThrow(/schemaFile .*bad\.graphql: not valid GraphQL SDL: a @cost weight is not a number$/);
  });

  it("applies the config's costs and each upstream's defaultListSize", async () => {
    const b = await gateway();
    expect(cost(b, '{ catalogue { name } }')).toBe(1 + 2 + 4 * 1);
    // Product.reviews has no @listSize: the inventory's own default of 7 applies.
    expect(cost(b, '{ product(id: "1") { reviews { product { id } } } }')).toBe(1 + 1 + 7);
  });

  it('prices the actual cost of an upstream answer', async () => {
    const b = await gateway();
    const doc = parse('{ products(first: 10) { price } }');
    expect(b.costModel.actual(doc, undefined, {}, { products: [{ price: 1 }, { price: 2 }] }).cost).toBe(1 + 2 * 3);
  });

  it("adds 10 for an upstream mutation, and keeps pricing Keygate's own fields", async () => {
    const b = await gateway();
    expect(cost(b, 'mutation { createProduct(name: "x") { id } }')).toBe(11);
    expect(cost(b, '{ clientKeys(first: 3) { nodes { owner { id } } } products(first: 1) { price } }')).toBe(5 + 4);
  });

  it('lets a config override replace what the SDL says', async () => {
    const b = await gateway(yaml('', '      Query.products: { slicingArguments: [], assumedSize: 3 }\n      Product.price: { weight: 0 }'));
    expect(cost(b, '{ products(first: 50) { price reviews { id } } }')).toBe(1 + 3 * 1);
  });

  it('UpstreamGateway hands out the cost model of the schema a request runs on', async () => {
    const configFile = path.join(dir, 'keygate.yaml');
    fs.writeFileSync(configFile, yaml());
    const options = { configFile, keygateSchema: keygate, scopeCatalog: new ScopeCatalog(), issuer: 'keygate', production: false, dataDir: dir, logger };
    const upstreams = await UpstreamGateway.start(options);
    try {
      const before = upstreams.schema;
      expect(upstreams.costModel().schema).toBe(before);
      expect(upstreams.costModel(before).estimate(parse('{ catalogue { name } }')).cost).toBe(1 + 2 + 4);
      fs.writeFileSync(configFile, yaml().replace('assumedSize: 4', 'assumedSize: 9'));
      expect(await upstreams.reload()).toBe(true);
      expect(upstreams.costModel().estimate(parse('{ catalogue { name } }')).cost).toBe(1 + 2 + 9);
      // A request that started before the reload is still priced on its own schema.
      expect(upstreams.costModel(before).estimate(parse('{ catalogue { name } }')).cost).toBe(1 + 2 + 4);
    } finally {
      await upstreams.apolloGateway().stop?.();
    }
  });

  it('refuses costs for a field the upstream does not have, or a slicing argument it does not take', async () => {
    await expect(gateway(yaml('    costs:\n      Ledger.total: { weight: 1 }\n'))).rejects.toThrow(
      'upstream "legacy": costs.Ledger.total names a field that does not exist in its schema',
    );
    await expect(gateway(yaml('', '      Query.product: { slicingArguments: [limit] }'))).rejects.toThrow(
      'upstream "inventory": costs.Query.product.slicingArguments names limit, which Query.product does not take',
    );
  });
});
