import type { EstimateRun, FieldPlan } from './cost-plan';
import { listSize } from './list-size';

export function ownCost(plan: FieldPlan, variables: Record<string, unknown>): number {
  let own = plan.ownStatic;
  if (plan.dynamicArguments) for (const price of plan.dynamicArguments) own += price(variables);
  // IBM: a field's own weight (with its arguments) never goes below zero.
  return own > 0 ? own : 0;
}

/**
 * The most this field may cost, once per object that holds it: its own weight once, plus, for
 * every value its list may hold, the value's weight and what is selected in it. Over an
 * abstract type the dearest possible type counts.
 */
export function estimateField(plan: FieldPlan, run: EstimateRun, parentSize: number | undefined): number {
  const own = ownCost(plan, run.variables);
  let count = 1;
  if (plan.listDepth > 0) {
    const size = plan.sizedByParent && parentSize !== undefined ? parentSize : listSize(plan.size!, run);
    count = plan.listDepth === 1 ? size : size ** plan.listDepth;
  }
  if (!plan.selections) return own + count * (plan.leafWeight > 0 ? plan.leafWeight : 0);
  const childSize = plan.childSize ? listSize(plan.childSize, run) : undefined;
  const before = run.nodes;
  let worst = 0;
  let worstNodes = 0;
  for (const selection of plan.selections) {
    run.nodes = 0;
    let cost = selection.typeWeight;
    for (const child of selection.fields) cost += estimateField(child, run, childSize);
    if (cost > worst) worst = cost;
    if (run.nodes > worstNodes) worstNodes = run.nodes;
  }
  run.nodes = before + count * (1 + worstNodes);
  return own + count * worst;
}
