import type { SubschemaConfig } from '@graphql-tools/delegate';
import { stitchSchemas } from '@graphql-tools/stitch';
import { getDirective } from '@graphql-tools/utils';
import { GraphQLSchema, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from 'graphql';
import { applyAuthDirectives } from '../directives/auth-directives-transform';
import type { FieldCostOverride } from '../cost/cost-annotations';
import { buildCostModel, type CostModel } from '../cost/cost-model';
import type { Logger } from '../logging/logger';
import { USAGE_COST_SIZERS } from '../usage/usage-cost-sizer';
import { withRootFieldUsage } from '../usage/root-field-usage';
import { GatewayConfigError, type GatewayConfig } from './gateway-config';
import { pruneRefusedFields } from './prune-refused-fields';
import { PlannedExecutor } from './planned-executor';
import { createUpstreamExecutor, type IdentitySource, type UpstreamExecutor, type UpstreamStats } from './upstream-executor';
import { upstreamCostOverrides } from './upstream-costs';
import { applyUpstreamPolicies, scopesUsedBy } from './upstream-policies';
import { loadUpstreamSchema } from './upstream-schema';

export interface BuiltGateway {
  schema: GraphQLSchema;
  /** Scopes the upstreams' policies require: they join the catalog. */
  usedScopes: Set<string>;
  /** Requests sent to each upstream, by name. */
  stats: Map<string, UpstreamStats>;
  /** Executes operations on `schema`: one upstream's operations in one request, the rest stitched. */
  executor: PlannedExecutor;
  /** Prices operations on `schema`: @cost/@listSize from Keygate's and the upstreams' SDL, with the config's `costs:` on top. */
  costModel: CostModel;
  /** Closes the upstreams' idle connections. */
  close(): void;
}

const GUARD_NAMES = ['public', 'authenticated', 'requiresScopes'];

function rootFieldNames(schema: GraphQLSchema): string[] {
  const names: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType()])
    if (root) for (const f of Object.keys(root.getFields())) names.push(`${root.name === schema.getQueryType()?.name ? 'Query' : 'Mutation'}.${f}`);
  return names;
}

function rootTypeNames(schema: GraphQLSchema): Set<string> {
  return new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
}

/** Whether any field below the root carries a guard: only then is there anything to prune. */
function hasGuardsBelowRoot(schema: GraphQLSchema): boolean {
  const roots = rootTypeNames(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || roots.has(type.name)) continue;
    if (GUARD_NAMES.some((g) => getDirective(schema, type, g)?.length)) return true;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) if (GUARD_NAMES.some((g) => getDirective(schema, field, g)?.length)) return true;
    }
  }
  return false;
}

/**
 * Keygate's schema with every upstream's root fields stitched in under their own names, and
 * Keygate's guard directives enforced on the whole (upstream fields included) by the same
 * transform as Keygate's own fields. Throws GatewayConfigError with one line on any problem:
 * unguarded fields, policies for missing fields, name clashes, an unreachable upstream.
 */
export async function buildGatewaySchema(
  keygate: GraphQLSchema,
  config: GatewayConfig,
  identity: IdentitySource,
  logger: Logger,
  planning = true,
): Promise<BuiltGateway> {
  const owners = new Map<string, string>();
  for (const name of rootFieldNames(keygate)) owners.set(name, 'Keygate');
  const typeOwners = new Map<string, string>();
  for (const type of Object.values(keygate.getTypeMap())) typeOwners.set(type.name, 'Keygate');

  const describe = (owner: string) => (owner === 'Keygate' ? "Keygate's own" : `upstream "${owner}"'s`);
  const checkNames = (schema: GraphQLSchema, upstreamName: string) => {
    for (const field of rootFieldNames(schema)) {
      const owner = owners.get(field);
      if (owner) throw new GatewayConfigError(`upstream "${upstreamName}": ${field} clashes with ${describe(owner)} ${field}`);
      owners.set(field, upstreamName);
    }
    const roots = rootTypeNames(schema);
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || roots.has(type.name) || isSpecifiedScalarType(type)) continue;
      const owner = typeOwners.get(type.name);
      // Two definitions of one custom scalar serialize alike for the client; any other shared type name would merge two different types.
      if (owner && !isScalarType(type))
        throw new GatewayConfigError(`upstream "${upstreamName}": type ${type.name} clashes with ${describe(owner)} type ${type.name}`);
      typeOwners.set(type.name, upstreamName);
    }
  };

  const usedScopes = new Set<string>();
  const stats = new Map<string, UpstreamStats>();
  const subschemas: SubschemaConfig[] = [{ schema: keygate }];
  const closers: Array<() => void> = [];
  const upstreams = new Map<string, UpstreamExecutor>();
  const upstreamSchemas = new Map<string, GraphQLSchema>();
  const costOverrides = new Map<string, FieldCostOverride>();
  const close = () => closers.forEach((c) => c());
  try {
    for (const upstream of config.upstreams) {
      const upstreamStats = { sent: 0 };
      const remote = createUpstreamExecutor(upstream, identity, logger, upstreamStats);
      const { executor } = remote;
      closers.push(remote.close);
      upstreams.set(upstream.name, remote);
      const loaded = await loadUpstreamSchema(upstream, executor);
      // Upstream subscriptions are not proxied (the HTTP executor speaks request/response).
      const schema = applyUpstreamPolicies(new GraphQLSchema({ ...loaded.toConfig(), subscription: undefined }), upstream);
      checkNames(schema, upstream.name);
      upstreamSchemas.set(upstream.name, schema);
      for (const [coordinate, cost] of upstreamCostOverrides(schema, upstream)) costOverrides.set(coordinate, cost);
      for (const scope of scopesUsedBy(schema)) usedScopes.add(scope);
      stats.set(upstream.name, upstreamStats);
      // batch: root fields of one operation that go to the same upstream travel in one request.
      subschemas.push({ schema, executor, batch: true, transforms: hasGuardsBelowRoot(schema) ? [pruneRefusedFields()] : [] });
    }
    const stitched = stitchSchemas({ subschemas });
    // Usage wraps the authorization checks, as on Keygate's own schema (a field counts once per request).
    const schema = withRootFieldUsage(applyAuthDirectives(stitched));
    const rootOwners = new Map([...owners].filter(([, owner]) => owner !== 'Keygate'));
    const costModel = buildCostModel(schema, { defaultListSize: config.defaultListSize, overrides: costOverrides, sizers: USAGE_COST_SIZERS });
    return { schema, usedScopes, stats, executor: new PlannedExecutor({ schema, rootOwners, upstreams, upstreamSchemas, planning }), costModel, close };
  } catch (err) {
    // A refused config leaves no connection behind.
    close();
    throw err;
  }
}
