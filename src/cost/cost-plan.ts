import type { GraphQLInputType, ValueNode } from 'graphql';

/**
 * Sizes a list from its field's arguments, e.g. usage buckets from since/until/interval;
 * undefined: no opinion. The arguments come as the client wrote them (literals, and variables'
 * JSON values, not coerced: coercing a DateTime alone costs microseconds) or as the schema's
 * defaults; execution still validates them, so a sizer treats what it cannot read as no opinion.
 */
export type CostSizer = (args: Record<string, unknown>, now: number) => number | undefined;

/** One argument of a sized field: a literal's or default's value, or a variable read per request. */
export type SizerArgument = { name: string; value: unknown } | { name: string; variable: string; fallback: unknown };

/** One slicing argument of a field as written in the operation: a known value, or a variable read per request. */
export type SlicingValue = { value: unknown } | { variable: string; argDefault: unknown };

/** How long a list field's result may be. */
export interface SizePlan {
  slicing: SlicingValue[];
  /** assumedSize, else the configured default list size. */
  fallback: number;
  sizer?: { fn: CostSizer; args: SizerArgument[] };
  /** Known at compile time: no variable and no sizer involved. */
  fixed?: number;
}

/** An argument with a weight (its own or its input fields') whose value holds variables: priced per request. */
export type DynamicArgument = (variables: Record<string, unknown>) => number;

/** A field as the operation selects it, merged across fragments, with everything static worked out. */
export interface FieldPlan {
  key: string;
  /** Base (1 composite, 0 leaf) + @cost + 10 on a mutation root field + weights of arguments given as literals. */
  ownStatic: number;
  dynamicArguments?: DynamicArgument[];
  listDepth: number;
  /** Sized by the parent's @listSize(sizedFields) rather than by its own arguments. */
  sizedByParent: boolean;
  size?: SizePlan;
  /** Leaf fields: what each scalar or enum value weighs. */
  leafWeight: number;
  /** Composite fields: the selection for each type the value may have (one for an object type). */
  selections?: TypeSelection[];
  /** The size this field's @listSize(sizedFields) hands to those child fields. */
  childSize?: SizePlan;
}

export interface TypeSelection {
  typeName: string;
  /** @cost on the object type: added for every object of it. */
  typeWeight: number;
  fields: FieldPlan[];
}

/** A variable the cost depends on, with what is needed to coerce it. */
export interface CostVariable {
  name: string;
  type: GraphQLInputType;
  defaultValue?: ValueNode;
}

/** One estimate's inputs and running count of objects (GitHub's nodeCount). */
export interface EstimateRun {
  /** Coerced: the variables the plan's arguments and slicing read. */
  variables: Record<string, unknown>;
  /** As sent: what sizers read. */
  raw: Readonly<Record<string, unknown>>;
  now: number;
  nodes: number;
}

/** An operation compiled for one set of @skip/@include outcomes. */
export interface CompiledOperation {
  fields: FieldPlan[];
  variables: CostVariable[];
  /** The estimate when it depends on nothing given per request. */
  fixed?: { cost: number; nodeCount: number };
}
