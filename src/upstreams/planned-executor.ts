import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { allowsRules } from '../directives/access-rule';
import type { Principal } from '../identity/principal';
import type { RequestUsage } from '../usage/request-usage';
import { type OperationPlan, planOperation } from './operation-plan';
import type { UpstreamExecutor } from './upstream-executor';

/** What the planned path reads from a request's context. */
interface PlannedContext {
  principal?: Principal;
  requestId?: string;
  usage?: RequestUsage;
}

/** One gateway schema's upstreams, by the root fields they own. */
export interface PlannerSource {
  schema: GraphQLSchema;
  /** `Query.products` → the upstream that answers it. */
  rootOwners: ReadonlyMap<string, string>;
  upstreams: ReadonlyMap<string, UpstreamExecutor>;
  /** False: every operation is stitched (tests compare the two paths' answers). */
  planning: boolean;
}

type Result = Awaited<ReturnType<GatewayExecutor>>;

/**
 * Apollo Server's executor for the gateway schema. An operation whose root fields all belong to
 * one upstream, and whose every reachable field the caller may read, is sent to that upstream
 * as one request, as the client wrote it: what stitching would send, without delegating field by
 * field and rebuilding the answer. Everything else (Keygate's own fields, several upstreams, a
 * refused field that must be pruned) runs through graphql-js on the stitched schema, as before.
 * Either way it runs once, after the pipeline has charged the operation's root fields.
 */
export class PlannedExecutor {
  private readonly plans = new WeakMap<OperationDefinitionNode, OperationPlan | null>();

  constructor(private readonly source: PlannerSource) {}

  execute(request: GatewayGraphQLRequestContext): Promise<Result> | Result {
    const { document, operation } = request;
    const context = request.context as PlannedContext;
    const plan = this.planFor(request, operation);
    const variables = plan && this.allows(plan, context.principal) ? this.variablesFor(operation, request.request.variables) : undefined;
    if (!plan || !variables) {
      return execute({ schema: this.source.schema, document, contextValue: context, variableValues: request.request.variables, operationName: request.request.operationName }) as Promise<Result> | Result;
    }
    return this.send(plan, variables.values, context);
  }

  private planFor(request: GatewayGraphQLRequestContext, operation: OperationDefinitionNode): OperationPlan | null {
    if (!this.source.planning) return null;
    let plan = this.plans.get(operation);
    if (plan === undefined) {
      plan = planOperation(this.source.schema, request.document, operation, request.source, (coordinate) => this.source.rootOwners.get(coordinate));
      this.plans.set(operation, plan);
    }
    return plan;
  }

  private allows(plan: OperationPlan, principal: Principal | undefined): boolean {
    for (const rules of plan.rules) if (!allowsRules(rules, principal)) return false;
    return true;
  }

  /** The request's variables for the operation's definitions, or undefined when they do not coerce (graphql-js then reports it). */
  private variablesFor(operation: OperationDefinitionNode, raw: Record<string, unknown> | undefined): { values?: Record<string, unknown> } | undefined {
    const definitions = operation.variableDefinitions;
    if (!definitions?.length) return {};
    if (getVariableValues(this.source.schema, definitions, raw ?? {}, { maxErrors: 1 }).errors) return undefined;
    const values: Record<string, unknown> = {};
    for (const definition of definitions) {
      const name = definition.variable.name.value;
      if (raw && Object.hasOwn(raw, name)) values[name] = raw[name];
    }
    return { values };
  }

  private async send(plan: OperationPlan, variables: Record<string, unknown> | undefined, context: PlannedContext): Promise<Result> {
    const usage = context.usage;
    if (usage) for (const root of plan.roots) usage.field(root.coordinate);
    const body = JSON.stringify({ query: plan.query, operationName: plan.operationName, variables });
    const answer = await this.source.upstreams.get(plan.upstream)!.send(body, context);
    if ('unavailable' in answer) {
      // Every root field fails alone, as each of its delegations would have (stitching gives them no locations).
      const { unavailable } = answer;
      const errors = plan.roots.map((root) => new GraphQLError(unavailable.message, { path: [root.key], originalError: unavailable, extensions: unavailable.extensions }));
      if (usage) for (const root of plan.roots) usage.fieldFailed(root.coordinate);
      const data = plan.roots.some((root) => root.nonNull) ? null : Object.fromEntries(plan.roots.map((root) => [root.key, null]));
      return { data, errors };
    }
    const { result } = answer;
    if (usage && result.errors) {
      for (const error of result.errors) {
        const key = error.path?.[0];
        for (const root of plan.roots) if (key === undefined || root.key === key) usage.fieldFailed(root.coordinate);
      }
    }
    return result as Result;
  }
}
