import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/spawn-keygate';
import {
  INVENTORY_SDL,
  inventoryRoot,
  REVIEWS_SDL,
  reviewsRoot,
  SHOP_POLICIES,
  SHOP_SDL,
  shopRoot,
  startFakeUpstream,
  type FakeUpstream,
} from './fake-upstream';

export interface GatewayFixture {
  inventory: FakeUpstream;
  reviews: FakeUpstream;
  /** Only with `{ shop: true }`: an upstream whose types meet interfaces and unions. */
  shop?: FakeUpstream;
  /** The guarded values the shop computed, e.g. `w1.cost`. */
  shopReads: string[];
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

export async function startGatewayFixture(options: { shop?: boolean } = {}): Promise<GatewayFixture> {
  process.env.INVENTORY_TOKEN = INVENTORY_TOKEN;
  const inventory = await startFakeUpstream(INVENTORY_SDL, inventoryRoot());
  const reviews = await startFakeUpstream(REVIEWS_SDL, reviewsRoot());
  const shopReads: string[] = [];
  const shop = options.shop ? await startFakeUpstream(SHOP_SDL, shopRoot(shopReads)) : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-gateway-'));
  fs.writeFileSync(path.join(dir, 'reviews.graphql'), REVIEWS_SDL);
  fs.writeFileSync(path.join(dir, 'warehouse.graphql'), WAREHOUSE_SDL);
  const configFile = path.join(dir, 'keygate.yaml');
  const downUrl = `http://127.0.0.1:${await freePort()}/graphql`;
  const shopYaml = shop ? `  - name: shop\n    url: ${shop.url}\n    policies:${SHOP_POLICIES}\n` : '';
  fs.writeFileSync(configFile, gatewayYaml(inventory.url, reviews.url, downUrl, shopYaml));
  return {
    inventory,
    reviews,
    shop,
    shopReads,
    dir,
    configFile,
    async close() {
      await inventory.close();
      await reviews.close();
      await shop?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
