import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  typeFromAST,
  valueFromAST,
  valueFromASTUntyped,
} from 'graphql';
import type { GraphQLInputType, GraphQLOutputType } from 'graphql';
import type { CostAnnotations } from './cost-annotations';
import { CostDocumentTooComplexError } from './cost-errors';
import type { CompiledOperation, CostSizer, CostVariable, DynamicArgument, FieldPlan, SizePlan, SizerArgument, TypeSelection } from './cost-plan';
import { conditionHolds } from './operation-conditions';

/** Each mutation root field costs this much more (Apollo Router's and Shopify's figure). */
export const MUTATION_WEIGHT = 10;
/**
 * Guards against a runaway walk: deeper than any document validation lets through, and more
 * fields than a document of Keygate's body limit can hold unless fragments multiply them.
 */
const MAX_DEPTH = 1000;
const MAX_FIELDS = 100_000;

export interface CompileOptions {
  schema: GraphQLSchema;
  annotations: CostAnnotations;
  sizers: ReadonlyMap<string, CostSizer>;
  defaultListSize: number;
}

interface Walk extends CompileOptions {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The @skip/@include variables' values this compilation is for. */
  conditions: Readonly<Record<string, boolean>>;
  /** Variables the cost depends on, found on the way. */
  used: Set<string>;
  /** Fields compiled so far. */
  fields: number;
  /** Declared defaults of the operation's variables, for sizers. */
  variableDefaults: ReadonlyMap<string, ValueNode>;
}

function variablesIn(node: ValueNode, into: Set<string>): boolean {
  if (node.kind === Kind.VARIABLE) {
    into.add(node.name.value);
    return true;
  }
  let found = false;
  if (node.kind === Kind.LIST) for (const v of node.values) found = variablesIn(v, into) || found;
  if (node.kind === Kind.OBJECT) for (const f of node.fields) found = variablesIn(f.value, into) || found;
  return found;
}

function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  for (let t = type; isListType(t) || isNonNullType(t); t = t.ofType) if (isListType(t)) depth++;
  return depth;
}

/** Fields by response key for one object type, as execution's CollectFields merges them across fragments. */
function collectFields(walk: Walk, type: GraphQLObjectType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const applies = (condition: string | undefined) => {
    if (condition === undefined || condition === type.name) return true;
    const target = walk.schema.getType(condition);
    return !!target && isAbstractType(target) && walk.schema.isSubType(target, type);
  };
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!conditionHolds(selection, walk.conditions)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = walk.fragments.get(name);
        if (visited.has(name) || !fragment || !applies(fragment.typeCondition.name.value)) continue;
        visited.add(name);
        visit(fragment.selectionSet);
      }
    }
  };
  sets.forEach(visit);
  return fields;
}

function sizePlan(walk: Walk, parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, node: FieldNode): SizePlan {
  const annotation = walk.annotations.listSize(parent, field);
  const plan: SizePlan = { slicing: [], fallback: annotation.assumedSize ?? walk.defaultListSize };
  let dynamic = false;
  for (const name of annotation.slicingArguments) {
    const arg = field.args.find((a) => a.name === name);
    if (!arg) continue;
    const given = node.arguments?.find((a) => a.name.value === name)?.value;
    if (given?.kind === Kind.VARIABLE) {
      walk.used.add(given.name.value);
      plan.slicing.push({ variable: given.name.value, argDefault: arg.defaultValue });
      dynamic = true;
    } else plan.slicing.push({ value: given ? valueFromAST(given, arg.type) : arg.defaultValue });
  }
  const sizer = walk.sizers.get(`${parent.name}.${field.name}`);
  if (sizer) {
    const args = field.args.map((arg): SizerArgument => {
      const given = node.arguments?.find((a) => a.name.value === arg.name)?.value;
      if (given?.kind !== Kind.VARIABLE) return { name: arg.name, value: given ? valueFromASTUntyped(given) : arg.defaultValue };
      const declared = walk.variableDefaults.get(given.name.value);
      return { name: arg.name, variable: given.name.value, fallback: declared ? valueFromASTUntyped(declared) : arg.defaultValue };
    });
    plan.sizer = { fn: sizer, args };
  } else if (!dynamic) {
    plan.fixed = plan.slicing.length ? undefined : plan.fallback;
  }
  return plan;
}

/** Weights of the arguments given: literal ones summed now, those holding variables left to price per request. */
function argumentCosts(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode): { fixed: number; dynamic: DynamicArgument[] } {
  let fixed = 0;
  const dynamic: DynamicArgument[] = [];
  for (const arg of field.args) {
    const weight = walk.annotations.inputWeight(arg);
    if (weight === 0 && !walk.annotations.inputHasCost(arg.type)) continue;
    const given = node.arguments?.find((a) => a.name.value === arg.name)?.value;
    if (!given) continue;
    const price = (value: unknown) => (value == null ? 0 : weight + walk.annotations.inputValueCost(arg.type as GraphQLInputType, value));
    if (variablesIn(given, walk.used)) dynamic.push((variables) => price(valueFromAST(given, arg.type, variables)));
    else fixed += price(valueFromAST(given, arg.type));
  }
  return { fixed, dynamic };
}

function compileSelections(walk: Walk, type: GraphQLObjectType, sets: readonly SelectionSetNode[], sized: ReadonlySet<string>, depth: number): FieldPlan[] {
  const plans: FieldPlan[] = [];
  for (const [key, nodes] of collectFields(walk, type, sets)) {
    const name = nodes[0].name.value;
    // __typename is a leaf of weight 0; introspection (__schema, __type) is bounded by the schema and not priced.
    if (name.startsWith('__')) continue;
    const field = type.getFields()[name];
    if (field) plans.push(compileField(walk, type, field, key, nodes, sized.has(name), depth));
  }
  return plans;
}

function compileField(
  walk: Walk,
  parent: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  key: string,
  nodes: readonly FieldNode[],
  sizedByParent: boolean,
  depth: number,
): FieldPlan {
  if (depth > MAX_DEPTH || ++walk.fields > MAX_FIELDS) throw new CostDocumentTooComplexError();
  const node = nodes[0];
  const named = getNamedType(field.type);
  const composite = isCompositeType(named);
  const isMutationRoot = depth === 0 && parent === walk.schema.getMutationType();
  const args = argumentCosts(walk, field, node);
  const plan: FieldPlan = {
    key,
    ownStatic: (composite ? 1 : 0) + walk.annotations.fieldWeight(parent, field) + (isMutationRoot ? MUTATION_WEIGHT : 0) + args.fixed,
    dynamicArguments: args.dynamic.length ? args.dynamic : undefined,
    listDepth: listDepth(field.type),
    sizedByParent,
    leafWeight: composite ? 0 : walk.annotations.typeWeight(named),
  };
  const annotation = walk.annotations.listSize(parent, field);
  const sizesChildren = annotation.sizedFields.length > 0;
  if (plan.listDepth > 0)
    plan.size = sizesChildren ? { slicing: [], fallback: walk.defaultListSize, fixed: walk.defaultListSize } : sizePlan(walk, parent, field, node);
  if (composite) {
    if (sizesChildren) plan.childSize = sizePlan(walk, parent, field, node);
    const sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => !!s);
    const sized = new Set(sizesChildren ? annotation.sizedFields : []);
    const types = isAbstractType(named) ? walk.schema.getPossibleTypes(named) : [named as GraphQLObjectType];
    plan.selections = types.map((t): TypeSelection => ({
      typeName: t.name,
      typeWeight: walk.annotations.typeWeight(t),
      fields: compileSelections(walk, t, sets, sized, depth + 1),
    }));
  }
  return plan;
}

/** Whether a plan's estimate depends on nothing given per request. */
function isFixed(plan: FieldPlan): boolean {
  if (plan.dynamicArguments || (plan.size && plan.size.fixed === undefined) || (plan.childSize && plan.childSize.fixed === undefined)) return false;
  return !plan.selections || plan.selections.every((s) => s.fields.every(isFixed));
}

/** Compiles the operation for one outcome of its @skip/@include conditions. */
export function compileOperation(
  options: CompileOptions,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  conditions: Readonly<Record<string, boolean>>,
): Omit<CompiledOperation, 'fixed'> & { isFixed: boolean } {
  const root = options.schema.getRootType(operation.operation);
  const variableDefaults = new Map<string, ValueNode>();
  for (const def of operation.variableDefinitions ?? []) if (def.defaultValue) variableDefaults.set(def.variable.name.value, def.defaultValue);
  const walk: Walk = { ...options, fragments, conditions, used: new Set(), fields: 0, variableDefaults };
  const fields = root ? compileSelections(walk, root, [operation.selectionSet], new Set(), 0) : [];
  const variables: CostVariable[] = [];
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = typeFromAST(options.schema, def.type);
    if (walk.used.has(name) && type) variables.push({ name, type: type as GraphQLInputType, defaultValue: def.defaultValue });
  }
  return { fields, variables, isFixed: fields.every(isFixed) };
}
