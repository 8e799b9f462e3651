import { coerceInputValue, isNonNullType, valueFromAST } from 'graphql';
import { CostVariablesError } from './cost-errors';
import type { CostVariable } from './cost-plan';

/** Refuses at the first problem: the error names neither the variable nor its value. */
function refuse(): never {
  throw new CostVariablesError();
}

/**
 * Coerces only the variables the cost depends on, as execution will (a missing one takes its
 * declared default). Throws CostVariablesError when one does not fit its type.
 */
export function coerceCostVariables(wanted: readonly CostVariable[], given: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { name, type, defaultValue } of wanted) {
    const raw = given == null ? undefined : given[name];
    if (raw === undefined) {
      if (defaultValue) values[name] = valueFromAST(defaultValue, type);
      continue;
    }
    if (raw === null && isNonNullType(type)) refuse();
    values[name] = coerceInputValue(raw, type, refuse);
  }
  return values;
}
