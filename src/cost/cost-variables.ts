import { coerceInputValue, GraphQLBoolean, GraphQLInt, type GraphQLInputType, isNonNullType, valueFromAST } from 'graphql';
import { CostVariablesError } from './cost-errors';
import type { CostVariable } from './cost-plan';

/** Refuses at the first problem: the error names neither the variable nor its value. */
function refuse(): never {
  throw new CostVariablesError();
}

/** The common cases that need no coercion: a whole number for an Int, a boolean for a Boolean (the hot path's variables). */
function alreadyFits(raw: unknown, type: GraphQLInputType): boolean {
  const scalar = isNonNullType(type) ? type.ofType : type;
  if (scalar === GraphQLInt) return typeof raw === 'number' && Number.isInteger(raw) && raw <= 2_147_483_647 && raw >= -2_147_483_648;
  return scalar === GraphQLBoolean && typeof raw === 'boolean';
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
    values[name] = alreadyFits(raw, type) ? raw : coerceInputValue(raw, type, refuse);
  }
  return values;
}
