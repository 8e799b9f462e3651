import type { ApolloServerPlugin, GraphQLRequest, GraphQLRequestListener } from '@apollo/server';
import {
  type DocumentNode,
  execute,
  type FormattedExecutionResult,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLSchema,
  isObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import type { CostModel } from '../cost/cost-model';
import { CostVariablesError } from '../cost/cost-errors';
import { type AccessRule, allowsRules } from '../directives/access-rule';
import { accessRulesOf } from '../directives/auth-directives-transform';
import type { GraphQLContext } from '../identity/graphql-context';
import { requestRecord } from '../logging/request-record';
import { type BudgetAdmission, type BudgetVerdict, NO_UNITS, type RequestUnits } from './budget-admission';
import { dryRunDocument, isDryRun } from './dry-run';
import { OUTCOME, type RequestOutcome } from './request-outcome';
import { nullVariableError } from './null-variables';
import { rootFieldCoordinates } from './root-fields';

/** The context of a request on the pipeline: the resolvers' context plus the request's outcome. */
export type PipelineContext = GraphQLContext & { [OUTCOME]: RequestOutcome };

/** A refusal decided on the request's text before it is admitted (e.g. NUL bytes); throws to refuse. */
export type OperationCheck = (request: GraphQLRequest, document: DocumentNode) => void;

export interface PipelineOptions {
  admission: BudgetAdmission;
  /** The cost model of the schema the request runs on (the gateway's schema changes on reload). */
  costModel: (schema: GraphQLSchema) => CostModel;
  /** Run first, in order: a request they refuse is charged nothing. */
  checks?: readonly OperationCheck[];
  /** Apollo's formatError: a dry run's answer bypasses Apollo's own formatting. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** The field a schema coordinate (`Query.users`) names, if the schema has it. */
function fieldAt(schema: GraphQLSchema, coordinate: string): GraphQLField<unknown, unknown> | undefined {
  const dot = coordinate.indexOf('.');
  const type = schema.getType(coordinate.slice(0, dot));
  return isObjectType(type) ? type.getFields()[coordinate.slice(dot + 1)] : undefined;
}

/** Root fields' guards by coordinate, per schema (the gateway's schema is replaced on reload): bounded by the schema's fields. */
const rulesBySchema = new WeakMap<GraphQLSchema, Map<string, readonly AccessRule[]>>();

function rulesAt(schema: GraphQLSchema, coordinate: string): readonly AccessRule[] {
  let byCoordinate = rulesBySchema.get(schema);
  if (!byCoordinate) rulesBySchema.set(schema, (byCoordinate = new Map()));
  let rules = byCoordinate.get(coordinate);
  if (!rules) byCoordinate.set(coordinate, (rules = accessRulesOf(fieldAt(schema, coordinate)) ?? []));
  return rules;
}

/**
 * The result with these extensions, as a new object (in the order Apollo writes a result's members
 * in anyway): adding a member to Apollo's result, an object it made by spreading, cost V8 about 1 µs per request.
 */
function withExtensions(result: FormattedExecutionResult, extensions: Record<string, unknown>): FormattedExecutionResult {
  return { errors: result.errors, data: result.data, extensions };
}

/** Codes of a root field refused without running: it is charged nothing. */
const REFUSED_CODES = new Set(['FORBIDDEN', 'BAD_USER_INPUT', 'UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED']);

/** What one request used: its actual cost, and the root fields that ran and were not refused. */
function usedUnits(
  model: CostModel,
  outcome: RequestOutcome,
  operation: { document: DocumentNode; operation: OperationDefinitionNode; variables?: Record<string, unknown> },
  data: unknown,
  errors: readonly GraphQLFormattedError[] | undefined,
): RequestUnits & { byRootField?: ReadonlyMap<string, number> } {
  const refused = new Set<string | number>();
  for (const e of errors ?? []) if (e.path?.length === 1 && REFUSED_CODES.has(String(e.extensions?.code))) refused.add(e.path[0]);
  const rootFields = Math.max(0, outcome.rootFields.length - refused.size);
  if (data == null) return { requests: rootFields > 0 ? 1 : 0, rootFields, cost: 0 };
  const actual = model.actual(operation.document, operation.operation, operation.variables, data);
  return { requests: rootFields > 0 ? 1 : 0, rootFields, cost: actual.cost, byRootField: actual.byRootField };
}

/**
 * The pipeline's phases inside Apollo (one plugin, one listener object for every request):
 * - admit (`didResolveOperation`, once the operation is parsed and validated): the request's own
 *   refusals first (NUL bytes, a null where a value is wanted), then its root fields are counted
 *   and its cost estimated, then a key's request is charged to every budget it pays into, all or
 *   nothing (execution/budget-admission.ts). Every refusal is decided before the charge, in this one
 *   sequence, so a refused request is charged nothing. A dry run (`rateLimit(dryRun: true)`) is
 *   priced and charged nothing;
 * - execute: Apollo, once; a dry run executes only its `rateLimit` fields (`responseForOperation`);
 * - settle (`willSendResponse`): the actual cost from the response, what was reserved and not used
 *   given back, credits charged, and `extensions.cost` and the RateLimit headers for a key.
 * The error objects are kept for `errors/error-policy.ts`, which picks the HTTP status.
 */
export function createPipelinePlugin(options: PipelineOptions): ApolloServerPlugin<PipelineContext> {
  const { admission, costModel, checks = [], formatError } = options;

  const listener: GraphQLRequestListener<PipelineContext> = {
    async didResolveOperation({ contextValue, document, operation, schema, request }) {
      const outcome = contextValue[OUTCOME];
      outcome.operationName = operation?.name?.value;
      if (outcome.operationName) requestRecord(contextValue).operationName = outcome.operationName;
      if (!operation) return;
      for (const check of checks) check(request, document);
      // Before counting: a null graphql-js would only fail on mid-execution is refused here, as a request error.
      const refused = nullVariableError(schema, document, operation, request.variables);
      if (refused) throw refused;
      // No fields when the operation cannot run (variables that do not coerce): it will fail at once, charged nothing.
      outcome.rootFields = rootFieldCoordinates(schema, document, operation, request.variables) ?? [];
      if (outcome.rootFields.length === 0) return;
      let estimate;
      try {
        estimate = costModel(schema).estimate(document, operation, request.variables);
      } catch (err) {
        if (err instanceof CostVariablesError) return;
        throw err;
      }
      outcome.operation = { document, operation, variables: request.variables, schema };
      const dryRun = isDryRun(document, operation, request.variables);
      outcome.dryRun = dryRun;
      const principal = contextValue.principal;
      if (principal?.kind !== 'CLIENT_KEY') {
        contextValue.budget = () => ({ estimated: estimate.cost, nodeCount: estimate.nodeCount, limits: [], credits: null });
        return;
      }
      // A root field its guard refuses runs nothing: it reserves nothing either, or it would hold
      // budget that concurrent requests need while this one runs (and they would be refused).
      let allowed = 0;
      for (const coordinate of outcome.rootFields) if (allowsRules(rulesAt(schema, coordinate), principal)) allowed++;
      if (allowed === 0) return;
      const plan = admission.plan(principal.id);
      const units = { requests: 1, rootFields: allowed, cost: estimate.cost };
      const verdict = await admission.admit(plan instanceof Promise ? await plan : plan, units, estimate, dryRun);
      outcome.budget = verdict;
      contextValue.budget = () => admission.status(verdict, verdict.states);
      if (verdict.refusal) {
        outcome.rootFields = [];
        throw verdict.refusal;
      }
    },

    async executionDidStart({ contextValue }) {
      contextValue[OUTCOME].phase?.('execute');
    },

    async responseForOperation({ contextValue, document, operation, request, schema }) {
      if (!contextValue[OUTCOME].dryRun || !operation) return null;
      const result = await execute({
        schema,
        document: dryRunDocument(document, operation),
        contextValue,
        variableValues: request.variables,
        operationName: request.operationName,
      });
      // Apollo hands a plugin's answer on as it is: its errors are kept and formatted here as Apollo would.
      const errors = result.errors?.map((e) => formatError(e.toJSON(), e));
      if (result.errors?.length) contextValue[OUTCOME].errors = result.errors;
      return { http: { status: undefined, headers: new Map() } as never, body: { kind: 'single', singleResult: { ...result, errors } } };
    },

    async didEncounterErrors({ contextValue, errors }) {
      contextValue[OUTCOME].errors = errors;
    },

    async willSendResponse({ contextValue, response }) {
      const principal = contextValue.principal;
      if (principal?.kind !== 'CLIENT_KEY') return;
      const outcome = contextValue[OUTCOME];
      outcome.phase?.('settle');
      let verdict: BudgetVerdict | undefined = outcome.budget;
      if (!verdict) {
        // Refused before admission (a document that does not parse, validate or coerce): nothing was charged; say what remains.
        const plan = admission.plan(principal.id);
        verdict = await admission.peek(plan instanceof Promise ? await plan : plan).catch(() => undefined);
        if (!verdict) return;
      }
      const single = response.body.kind === 'single' ? response.body : undefined;
      const body = single?.singleResult;
      const ran = !verdict.refusal && !outcome.dryRun && outcome.operation;
      const used = ran && body ? usedUnits(costModel(outcome.operation!.schema), outcome, outcome.operation!, body.data, body.errors) : NO_UNITS;
      outcome.used = used;
      const { cost, headers } = admission.feedback(verdict, admission.settle(verdict, used), used.cost);
      outcome.rateLimitHeaders = headers;
      // Written into the body as it is (common/raw-json.ts): its text is mostly the key's plan's, made once.
      if (single) single.singleResult = withExtensions(single.singleResult, { ...single.singleResult.extensions, cost });
    },
  };
  // The listener keeps its state in the context, so one object (and one settled promise of it) serves every request.
  const started = Promise.resolve(listener);
  return { requestDidStart: () => started };
}
