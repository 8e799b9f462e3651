import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/spawn-keygate';
import { INVENTORY_SDL, inventoryRoot, REVIEWS_SDL, reviewsRoot, startFakeUpstream, type FakeUpstream } from './fake-upstream';

export interface GatewayFixture {
  inventory: FakeUpstream;
  reviews: FakeUpstream;
  dir: string;
  configFile: string;
  close(): Promise<void>;
}

export const WAREHOUSE_SDL = 'type Query { stock(productId: ID!): Int @public }';

export const INVENTORY_TOKEN = 'inventory-static-token-s3cret';

/** The SPEC's example config, YAML, for the two fake upstreams (reviews from a schemaFile). */
export function gatewayYaml(inventoryUrl: string, reviewsUrl: string, downUrl: string, extra = ''): string {
  return `
scopes:
  read:products: Read the product catalogue
  write:products: Change products
  read:costs: See purchase costs
  read:reviews: Read reviews
roles:
  member: [read:products, read:reviews]
upstreams:
  - name: inventory
    url: ${inventoryUrl}
    timeoutMs: 1500
    headers:
      x-api-token: \${INVENTORY_TOKEN}
    policies:
      Query.products: [["read:products"]]
      Query.product: [["read:products"]]
      Query.status: public
      Query.failing: authenticated
      Product.cost: [["read:costs"]]
      Mutation.createProduct: [["write:products"]]
  - name: reviews
    url: ${reviewsUrl}
    schemaFile: ./reviews.graphql
  - name: warehouse            # nothing listens there: down from the start
    url: ${downUrl}
    schemaFile: warehouse.graphql
    timeoutMs: 2000
${extra}`;
}

export async function startGatewayFixture(): Promise<GatewayFixture> {
  process.env.INVENTORY_TOKEN = INVENTORY_TOKEN;
  const inventory = await startFakeUpstream(INVENTORY_SDL, inventoryRoot());
  const reviews = await startFakeUpstream(REVIEWS_SDL, reviewsRoot());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-gateway-'));
  fs.writeFileSync(path.join(dir, 'reviews.graphql'), REVIEWS_SDL);
  fs.writeFileSync(path.join(dir, 'warehouse.graphql'), WAREHOUSE_SDL);
  const configFile = path.join(dir, 'keygate.yaml');
  const downUrl = `http://127.0.0.1:${await freePort()}/graphql`;
  fs.writeFileSync(configFile, gatewayYaml(inventory.url, reviews.url, downUrl));
  return {
    inventory,
    reviews,
    dir,
    configFile,
    async close() {
      await inventory.close();
      await reviews.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
