import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { type DocumentNode, execute, type ExecutionResult, getVariableValues, GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { allowsRules } from '../directives/access-rule';
import type { Principal } from '../identity/principal';
import type { RequestUsage } from '../usage/request-usage';
import { AnswerCompletion } from './answer-completion';
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
  /** Each upstream's own schema (no resolvers): the planned answers are checked against it. */
  upstreamSchemas: ReadonlyMap<string, GraphQLSchema>;
  /** False: every operation is stitched (tests compare the two paths' answers). */
  planning: boolean;
}

type Result = Awaited<ReturnType<GatewayExecutor>>;

/**
 * Apollo Server's executor for the gateway schema. An operation whose root fields all belong to
 * one upstream, and whose every reachable field the caller may read, is sent to that upstream
 * as one request (printed from the parsed operation), and its answer is completed against the
 * upstream's schema once: what stitching does, without delegating field by field and walking the
 * answer twice. Everything else (Keygate's own fields, several upstreams, a
 * refused field that must be pruned) runs through graphql-js on the stitched schema, as before.
 * Either way it runs once, after the pipeline has charged the operation's root fields.
 */
export class PlannedExecutor {
  private readonly plans = new WeakMap<OperationDefinitionNode, OperationPlan | null>();
  private readonly completions = new WeakMap<OperationPlan, AnswerCompletion>();

  constructor(private readonly source: PlannerSource) {}

  execute(request: GatewayGraphQLRequestContext): Promise<Result> | Result {
    const { document, operation } = request;
    const context = request.context as PlannedContext;
    // No operation (a name the document does not define, two unnamed ones): graphql-js says why.
    const plan = operation ? this.planFor(document, operation) : null;
    const variables = plan && this.allows(plan, context.principal) ? this.variablesFor(operation, request.request.variables) : undefined;
    if (!plan || !variables) {
      return execute({
        schema: this.source.schema,
        document,
        contextValue: context,
        variableValues: request.request.variables,
        operationName: request.request.operationName,
      }) as Promise<Result> | Result;
    }
    return this.send(plan, variables, context);
  }

  private planFor(document: DocumentNode, operation: OperationDefinitionNode): OperationPlan | null {
    if (!this.source.planning) return null;
    let plan = this.plans.get(operation);
    if (plan === undefined) {
      plan = planOperation(this.source.schema, document, operation, (coordinate) => this.source.rootOwners.get(coordinate));
      this.plans.set(operation, plan);
    }
    return plan;
  }

  private allows(plan: OperationPlan, principal: Principal | undefined): boolean {
    for (const rules of plan.rules) if (!allowsRules(rules, principal)) return false;
    return true;
  }

  /**
   * The request's variables for the operation's definitions, as sent (`values`) and as coerced
   * (`coerced`, what @skip/@include read), or undefined when they do not coerce (graphql-js then reports it).
   */
  private variablesFor(operation: OperationDefinitionNode, raw: Record<string, unknown> | undefined): PlannedVariables | undefined {
    const definitions = operation.variableDefinitions;
    if (!definitions?.length) return NO_VARIABLES;
    const coerced = getVariableValues(this.source.schema, definitions, raw ?? {}, { maxErrors: 1 });
    if (coerced.errors) return undefined;
    const values: Record<string, unknown> = {};
    for (const definition of definitions) {
      const name = definition.variable.name.value;
      if (raw && Object.hasOwn(raw, name)) values[name] = raw[name];
    }
    return { values, coerced: coerced.coerced };
  }

  private async send(plan: OperationPlan, variables: PlannedVariables, context: PlannedContext): Promise<Result> {
    const usage = context.usage;
    if (usage) for (const root of plan.roots) usage.field(root.coordinate);
    const body = JSON.stringify({ query: plan.query, operationName: plan.operationName, variables: variables.values });
    const answer = await this.source.upstreams.get(plan.upstream)!.send(body, context);
    if ('unavailable' in answer) {
      // Every root field fails alone, as each of its delegations would have (stitching gives them no locations).
      const { unavailable } = answer;
      const errors = plan.roots.map(
        (root) => new GraphQLError(unavailable.message, { path: [root.key], originalError: unavailable, extensions: unavailable.extensions }),
      );
      if (usage) for (const root of plan.roots) usage.fieldFailed(root.coordinate);
      return { data: nullRoots(plan), errors };
    }
    const result = this.checked(plan, answer.result, variables.coerced);
    if (usage && result.errors) {
      // A root field failed when its own error is among them: a nested one spoils a part of it only.
      for (const error of result.errors)
        for (const root of plan.roots) if (error.path?.length === 1 && error.path[0] === root.key) usage.fieldFailed(root.coordinate);
    }
    return result as Result;
  }

  /**
   * The upstream's answer, as the client asked for it: completed against the upstream's schema
   * as the gateway completes a delegated answer (answer-completion.ts). Fields the client did not
   * select are dropped, values of the wrong type and unknown types become errors, nulls
   * propagate. The upstream's own errors stay; one without a path is its root fields'.
   */
  private checked(plan: OperationPlan, answer: ExecutionResult, variables: Record<string, unknown>): ExecutionResult {
    const upstreamErrors = (answer.errors ?? []).flatMap((error) =>
      error.path
        ? [error]
        : plan.roots.map((root) => new GraphQLError(error.message, { path: [root.key], originalError: error.originalError, extensions: error.extensions })),
    );
    if (answer.data === null || answer.data === undefined) {
      // Errors alone (the upstream refused the request): each root field is null, as stitched, unless one may not be.
      return { data: nullRoots(plan), errors: upstreamErrors };
    }
    let completion = this.completions.get(plan);
    if (!completion)
      this.completions.set(plan, (completion = new AnswerCompletion(this.source.upstreamSchemas.get(plan.upstream)!, plan.fragments, plan.operation)));
    const completed = completion.complete(answer.data, variables);
    const errors = [...upstreamErrors, ...completed.errors];
    return errors.length > 0 ? { data: completed.data, errors } : { data: completed.data };
  }
}

/** The data of an answer whose root fields all failed: each null, or null itself when one of them may not be. */
function nullRoots(plan: OperationPlan): Record<string, null> | null {
  return plan.roots.some((root) => root.nonNull) ? null : Object.fromEntries(plan.roots.map((root) => [root.key, null]));
}

interface PlannedVariables {
  /** What the client sent for the operation's variables: what the upstream is sent. */
  values?: Record<string, unknown>;
  coerced: Record<string, unknown>;
}

const NO_VARIABLES: PlannedVariables = { coerced: {} };
