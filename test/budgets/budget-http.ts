import { authHeaders, type Credentials, type GraphQLResult } from '../support/graphql-client';
import type { TestApp } from '../support/test-app';
import { until } from '../support/wait';

export { until };

/** The budgets a key's request is charged to, charging nothing (`rateLimit(dryRun: true)`). */
export const DRY_RUN = `{ rateLimit(dryRun: true) { cost limits { name remaining limitOf } credits { remaining limitOf } } }`;

export interface LimitInput {
  name: string;
  unit: 'REQUESTS' | 'ROOT_FIELDS' | 'COST';
  limit: number;
  periodSeconds: number;
}

/** Creates a key with any CreateClientKeyInput fields (limits, credits, maxOperationCost...) as `owner`. */
export async function createKey(t: TestApp, owner: Credentials, input: Record<string, unknown>): Promise<{ key: string; id: string }> {
  const res = await t.gql(
    `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key clientKey { id } } }`,
    { i: { name: 'budget key', scopes: ['read:clientkeys', 'write:clientkeys'], rateLimitPerMinute: 1000, ...input } },
    owner,
  );
  if (!res.data) throw new Error(`createClientKey failed: ${JSON.stringify(res.errors)}`);
  return { key: res.data.createClientKey.key, id: res.data.createClientKey.clientKey.id };
}

/** What remains of each limit by name (as `rateLimit` names them), read without charging. */
export async function remaining(t: TestApp, key: string): Promise<Record<string, number>> {
  const res = await t.gql(DRY_RUN, {}, { key });
  if (!res.data) throw new Error(`dry run failed: ${JSON.stringify(res.errors)}`);
  const out: Record<string, number> = {};
  for (const l of res.data.rateLimit.limits) out[l.name] = l.remaining;
  if (res.data.rateLimit.credits) out.credits = res.data.rateLimit.credits.remaining;
  return out;
}

/** The key's usage since an hour ago, summed, after this instance wrote what it counted. */
export async function usageTotals(t: TestApp, owner: Credentials, keyId: string): Promise<{ requests: number; errors: number; rateLimited: number }> {
  await t.app.wiring.usage.flush();
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const res = await t.gql(
    `query($id: ID!, $s: DateTime!) { clientKey(id: $id) { usage(since: $s, interval: DAY) { requests errors rateLimited } } }`,
    { id: keyId, s: since },
    owner,
  );
  if (!res.data) throw new Error(`usage failed: ${JSON.stringify(res.errors)}`);
  const totals = { requests: 0, errors: 0, rateLimited: 0 };
  for (const b of res.data.clientKey.usage) {
    totals.requests += b.requests;
    totals.errors += b.errors;
    totals.rateLimited += b.rateLimited;
  }
  return totals;
}

/** Whether a response was refused by a budget (and with which limit, whose). */
export function refusal(res: GraphQLResult): { code?: string; limit?: string; limitOf?: string } {
  const e = res.errors?.[0]?.extensions;
  return { code: e?.code, limit: e?.limit, limitOf: e?.limitOf };
}

/** One operation over real HTTP, keeping the body's `extensions` (where `extensions.cost` is). */
export async function post(
  t: TestApp,
  query: string,
  variables: Record<string, unknown>,
  credentials: Credentials,
  headers: Record<string, string> = {},
): Promise<GraphQLResult & { extensions?: Record<string, any> }> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(credentials), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: GraphQLResult['errors']; extensions?: Record<string, any> };
  return {
    status: res.status,
    headers: res.headers,
    data: body.data ?? undefined,
    errors: body.errors,
    code: body.errors?.[0]?.extensions?.code,
    extensions: body.extensions,
  };
}
