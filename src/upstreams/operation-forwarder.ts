import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import {
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  isAbstractType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  BREAK,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Principal } from '../context/principal';
import { type AccessRule, allowsRules } from '../directives/access-rule';
import { ACCESS_RULES_EXTENSION } from '../directives/auth-directives-transform';
import { findNul } from '../server/nul-byte-guard';
import type { UpstreamRoute } from './gateway-schema';
import { TransportFailure } from './http-transport';
import { UpstreamGraphQLError } from './upstream-errors';
import type { RequestUsage } from '../usage/request-usage';
import type { RequestSide } from './upstream-executor';

interface Plan {
  route: UpstreamRoute;
  /** Every rule list a field of the operation carries: the caller must satisfy them all to take this lane. */
  rules: ReadonlyArray<readonly AccessRule[]>;
  roots: Array<{ key: string; nonNull: boolean; coordinate: string }>;
  operationName: string | undefined;
}

interface Remembered {
  schema: GraphQLSchema;
  /** null: the operation is not a whole-upstream one (or not any more), and takes the usual path. */
  plan: Plan | null;
}

export interface GatewayState {
  schema: GraphQLSchema;
  routes: Map<string, UpstreamRoute>;
}

function rulesOfField(schema: GraphQLSchema, parentName: string, fieldName: string): Array<readonly AccessRule[]> {
  const parent = schema.getType(parentName);
  if (!parent) return [];
  const types = isObjectType(parent) ? [parent] : isAbstractType(parent) ? schema.getPossibleTypes(parent) : [];
  const found: Array<readonly AccessRule[]> = [];
  for (const type of types) {
    const rules = (type.getFields()[fieldName] as GraphQLField<unknown, unknown> | undefined)?.extensions?.[ACCESS_RULES_EXTENSION] as readonly AccessRule[] | undefined;
    if (rules) found.push(rules);
  }
  return found;
}

/** The plan for an operation all of whose root fields one upstream answers, or null. */
function planFor(document: DocumentNode, state: GatewayState): Plan | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return null;
  const operation = operations[0];
  const rootType = operation.operation === 'query' ? state.schema.getQueryType() : operation.operation === 'mutation' ? state.schema.getMutationType() : null;
  if (!rootType) return null;
  const rootLabel = operation.operation === 'query' ? 'Query' : 'Mutation';
  let route: UpstreamRoute | undefined;
  const roots: Plan['roots'] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) return null;
    const target = state.routes.get(`${rootLabel}.${selection.name.value}`);
    if (!target || (route && route !== target)) return null;
    route = target;
    const field = rootType.getFields()[selection.name.value];
    roots.push({ key: selection.alias?.value ?? selection.name.value, nonNull: isNonNullType(field.type), coordinate: `${rootLabel}.${selection.name.value}` });
  }
  if (!route) return null;
  const rules = new Set<readonly AccessRule[]>();
  let eligible = true;
  const typeInfo = new TypeInfo(state.schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // @skip/@include would need evaluating per request: such operations take the usual path.
      [Kind.DIRECTIVE]: () => {
        eligible = false;
        return BREAK;
      },
      [Kind.FIELD]: (node) => {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value === '__typename') return undefined;
        for (const r of rulesOfField(state.schema, parent.name, node.name.value)) rules.add(r);
        return undefined;
      },
    }),
  );
  return eligible ? { route, rules: [...rules], roots, operationName: operation.name?.value } : null;
}

/**
 * The gateway's fast lane: an operation whose root fields all belong to one upstream, and whose
 * every field the caller may read, is sent to that upstream as it is, and its answer returned as
 * it is (only errors are rewritten, as the stitched path would). Anything else, including every
 * operation with a refused field (which must be pruned and answered FORBIDDEN), a Keygate field or
 * a @skip/@include, takes the stitched schema. Like execution/prepared-queries, it only takes
 * documents Apollo has already parsed, validated (query limits included) and executed once.
 */
export class OperationForwarder {
  private readonly documents = new LRUCache<string, Remembered>({ max: 2_000 });

  /** Requests answered here, for tests. */
  forwarded = 0;

  constructor(private readonly state: () => GatewayState) {}

  readonly plugin: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async () => this.listener,
  };

  private readonly listener: GraphQLRequestListener<BaseContext> = {
    executionDidStart: async ({ source, document, schema }) => {
      const state = this.state();
      // A document Apollo validated against an older schema (a reload since) is not kept.
      if (schema === state.schema && !this.documents.has(source)) this.documents.set(source, { schema, plan: planFor(document, state) });
    },
  };

  /** The response body when this lane answers the request, or undefined for the usual path. */
  run(query: string, operationName: string | undefined, variables: Record<string, unknown> | undefined, context: RequestSide & { principal?: Principal }): Promise<string> | undefined {
    const remembered = this.documents.get(query);
    if (!remembered?.plan || remembered.schema !== this.state().schema) return undefined;
    const plan = remembered.plan;
    if (operationName !== undefined && operationName !== plan.operationName) return undefined;
    if (variables && findNul(variables, '') !== undefined) return undefined;
    for (const rules of plan.rules) if (!allowsRules(rules, context.principal)) return undefined;
    this.forwarded++;
    const usage = (context as { usage?: RequestUsage }).usage;
    if (!usage) return this.forward(plan, JSON.stringify({ query, variables, operationName }), context);
    for (const root of plan.roots) usage.field(root.coordinate);
    return this.forward(plan, JSON.stringify({ query, variables, operationName }), context).then((payload) => {
      // Usage as the stitched path counts it: a root field with an error failed.
      if (payload.startsWith('{"errors"')) {
        const failedKeys = new Set((JSON.parse(payload) as { errors: Array<{ path?: unknown[] }> }).errors.map((e) => e.path?.[0]));
        for (const root of plan.roots) if (failedKeys.has(root.key)) usage.fieldFailed(root.coordinate);
        usage.finish(true);
      } else usage.finish(false);
      return payload;
    });
  }

  private async forward(plan: Plan, body: string, context: RequestSide): Promise<string> {
    let text: string;
    let ok: boolean;
    try {
      const response = await plan.route.sendRaw(body, context);
      text = await response.text();
      ok = response.ok;
    } catch (err) {
      return this.unavailable(plan, err instanceof TransportFailure ? err.message : String(err));
    }
    // The common case, a result without errors, goes back byte for byte. (An upstream's own
    // `extensions`, as the stitched path, are not passed on.)
    if (ok && text.startsWith('{"data"') && !text.includes('"errors"') && !text.includes('"extensions"')) return text;
    let parsed: { data?: unknown; errors?: Array<{ message?: unknown; path?: unknown; extensions?: Record<string, unknown> }> };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      return this.unavailable(plan, `answered HTTP ${ok ? '2xx' : 'error'} with a body that is not JSON`);
    }
    if (!parsed || typeof parsed !== 'object' || (parsed.data === undefined && !Array.isArray(parsed.errors))) {
      return this.unavailable(plan, 'answered without data or errors');
    }
    const errors = Array.isArray(parsed.errors)
      ? parsed.errors.map((e) => {
          const passed = new UpstreamGraphQLError(String(e.message ?? 'Upstream error'), e.extensions, plan.route.name);
          return { message: passed.message, ...(Array.isArray(e.path) ? { path: e.path } : {}), extensions: passed.extensions };
        })
      : undefined;
    return JSON.stringify({ errors, data: parsed.data ?? null });
  }

  private unavailable(plan: Plan, cause: string): string {
    const error = plan.route.unavailable(cause);
    const errors = plan.roots.map((r) => ({ message: error.message, path: [r.key], extensions: error.extensions }));
    const data = plan.roots.some((r) => r.nonNull) ? null : Object.fromEntries(plan.roots.map((r) => [r.key, null]));
    return JSON.stringify({ errors, data });
  }
}
