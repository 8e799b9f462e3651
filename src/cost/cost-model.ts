import { type DocumentNode, type FragmentDefinitionNode, GraphQLBoolean, type GraphQLSchema, Kind, type OperationDefinitionNode } from 'graphql';
import { actualField } from './actual-cost';
import { CostAnnotations, type FieldCostOverride } from './cost-annotations';
import type { CompiledOperation, CostSizer, CostVariable, EstimateRun } from './cost-plan';
import { coerceCostVariables } from './cost-variables';
import { compileOperation, type CompileOptions } from './compile-cost-plan';
import { estimateField } from './estimate-cost';
import { conditionVariables } from './operation-conditions';

/** Lists with neither a slicing argument given nor an assumedSize count as this long (Apollo Router's default). */
export const DEFAULT_LIST_SIZE = 10;
/** Distinct @skip/@include outcomes compiled and kept per operation; more are compiled per request. */
const MAX_OUTCOMES = 32;
/** Keeps a sum that overflowed (absurd slicing arguments) a finite, JSON-safe number. */
const CEILING = Number.MAX_SAFE_INTEGER;

export interface CostModelOptions {
  defaultListSize?: number;
  /** By coordinate (`Type.field`): each given key replaces what the schema's directives say. */
  overrides?: ReadonlyMap<string, FieldCostOverride>;
  /** By coordinate: lists whose length follows from other arguments. */
  sizers?: ReadonlyMap<string, CostSizer>;
  /** The clock sizers read (tests set it). */
  now?: () => number;
}

export interface CostEstimate {
  cost: number;
  /** Objects the operation may return (GitHub's nodeCount). */
  nodeCount: number;
}

export interface ActualCost {
  cost: number;
  /** By the root field's response key (its alias when it has one). */
  byRootField: Map<string, number>;
}

interface OperationPlans {
  fragments: Map<string, FragmentDefinitionNode>;
  /** The variables @skip/@include read, typed Boolean for coercion. */
  conditionVariables: CostVariable[];
  byOutcome: Map<string, CompiledOperation>;
}

const finite = (n: number) => (n > CEILING ? CEILING : n);

/**
 * Prices operations on one schema by the IBM GraphQL Cost Directive spec, with the defaults of
 * Apollo Router, Shopify and Hive (SPEC "Budgets"). A field of composite type costs 1, a leaf 0,
 * a mutation root field 10 more; @cost adds its weight (on a type: for every value of it); a
 * list multiplies what is selected in it by its size. An operation is compiled once (per
 * @skip/@include outcome) and kept with its node: Apollo hands back the same document object
 * for the same text, so a request with variables only walks the compiled plan.
 */
export class CostModel {
  private readonly compile: CompileOptions;
  private readonly plans = new WeakMap<OperationDefinitionNode, OperationPlans>();
  private readonly now: () => number;

  constructor(
    readonly schema: GraphQLSchema,
    options: CostModelOptions = {},
  ) {
    const defaultListSize = options.defaultListSize ?? DEFAULT_LIST_SIZE;
    if (!Number.isInteger(defaultListSize) || defaultListSize < 0) throw new RangeError('defaultListSize must be a whole number, 0 or more');
    this.compile = {
      schema,
      annotations: new CostAnnotations(schema, options.overrides),
      sizers: options.sizers ?? new Map(),
      defaultListSize,
    };
    this.now = options.now ?? Date.now;
  }

  /** The most the operation may cost, before it runs. Throws CostVariablesError when a variable it depends on does not coerce. */
  estimate(document: DocumentNode, operation?: OperationDefinitionNode | string | null, variables?: Record<string, unknown> | null): CostEstimate {
    const compiled = this.compiled(document, operation, variables);
    if (compiled.fixed) return { ...compiled.fixed };
    const run: EstimateRun = { variables: coerceCostVariables(compiled.variables, variables), raw: variables ?? {}, now: this.now(), nodes: 0 };
    let cost = 0;
    for (const field of compiled.fields) cost += estimateField(field, run, undefined);
    return { cost: finite(cost), nodeCount: finite(run.nodes) };
  }

  /** The same sum over the response `data`: lists' real lengths, and nothing for a field absent, null or failed. */
  actual(
    document: DocumentNode,
    operation: OperationDefinitionNode | string | null | undefined,
    variables: Record<string, unknown> | null | undefined,
    data: unknown,
  ): ActualCost {
    const compiled = this.compiled(document, operation, variables);
    const values = coerceCostVariables(compiled.variables, variables);
    const byRootField = new Map<string, number>();
    const root = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    let cost = 0;
    for (const field of compiled.fields) {
      const spent = finite(actualField(field, root[field.key], values));
      byRootField.set(field.key, spent);
      cost += spent;
    }
    return { cost: finite(cost), byRootField };
  }

  private compiled(
    document: DocumentNode,
    operation: OperationDefinitionNode | string | null | undefined,
    variables: Record<string, unknown> | null | undefined,
  ): CompiledOperation {
    const node = typeof operation === 'object' && operation ? operation : findOperation(document, operation ?? undefined);
    let plans = this.plans.get(node);
    if (!plans) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      const conditions = conditionVariables(node, fragments).map((name): CostVariable => {
        const def = node.variableDefinitions?.find((d) => d.variable.name.value === name);
        return { name, type: GraphQLBoolean, defaultValue: def?.defaultValue };
      });
      plans = { fragments, conditionVariables: conditions, byOutcome: new Map() };
      this.plans.set(node, plans);
    }
    const conditions = plans.conditionVariables.length ? (coerceCostVariables(plans.conditionVariables, variables) as Record<string, boolean>) : {};
    let outcome = '';
    for (const { name } of plans.conditionVariables) outcome += conditions[name] === true ? '1' : conditions[name] === false ? '0' : '?';
    let compiled = plans.byOutcome.get(outcome);
    if (!compiled) {
      const { isFixed, ...plan } = compileOperation(this.compile, node, plans.fragments, conditions);
      compiled = plan;
      if (isFixed) {
        const run: EstimateRun = { variables: {}, raw: {}, now: this.now(), nodes: 0 };
        let cost = 0;
        for (const field of plan.fields) cost += estimateField(field, run, undefined);
        compiled.fixed = { cost: finite(cost), nodeCount: finite(run.nodes) };
      }
      if (plans.byOutcome.size < MAX_OUTCOMES) plans.byOutcome.set(outcome, compiled);
    }
    return compiled;
  }
}

function findOperation(document: DocumentNode, name: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const found = name === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name?.value === name);
  if (!found) throw new RangeError(name === undefined ? 'the document must hold exactly one operation, or name one' : 'no operation of that name');
  return found;
}

export function buildCostModel(schema: GraphQLSchema, options?: CostModelOptions): CostModel {
  return new CostModel(schema, options);
}
