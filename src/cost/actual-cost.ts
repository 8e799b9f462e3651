import type { FieldPlan, TypeSelection } from './cost-plan';
import { ownCost } from './estimate-cost';

function objectCost(selection: TypeSelection, object: Record<string, unknown>, variables: Record<string, unknown>): number {
  let cost = selection.typeWeight;
  for (const child of selection.fields) cost += actualField(child, object[child.key], variables);
  return cost > 0 ? cost : 0;
}

/** What one returned object cost: by its __typename when selected, else (abstract type, no __typename) the dearest reading. */
function valueCost(plan: FieldPlan, value: unknown, variables: Record<string, unknown>): number {
  if (value == null || typeof value !== 'object') return 0;
  const selections = plan.selections!;
  const object = value as Record<string, unknown>;
  if (selections.length === 1) return objectCost(selections[0], object, variables);
  const typename = object.__typename;
  const known = typeof typename === 'string' ? selections.find((s) => s.typeName === typename) : undefined;
  if (known) return objectCost(known, object, variables);
  let worst = 0;
  for (const selection of selections) worst = Math.max(worst, objectCost(selection, object, variables));
  return worst;
}

/** Every non-null value of a (possibly nested) list, or the value itself when the field is not a list. */
function eachValue(value: unknown, depth: number, visit: (v: unknown) => void): void {
  if (value == null) return;
  if (depth === 0 || !Array.isArray(value)) visit(value);
  else for (const item of value) eachValue(item, depth - 1, visit);
}

/** The same sum as the estimate, over what came back: real list lengths; a field absent, null or failed costs 0. */
export function actualField(plan: FieldPlan, value: unknown, variables: Record<string, unknown>): number {
  if (value == null) return 0;
  let cost = ownCost(plan, variables);
  if (!plan.selections) {
    if (plan.leafWeight > 0) eachValue(value, plan.listDepth, () => (cost += plan.leafWeight));
    return cost;
  }
  eachValue(value, plan.listDepth, (v) => (cost += valueCost(plan, v, variables)));
  return cost;
}
