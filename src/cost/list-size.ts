import type { EstimateRun, SizePlan, SizerArgument, SlicingValue } from './cost-plan';

/** A slicing argument's number: negative counts as 0, anything not a number as not given. */
function asSize(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : undefined;
}

function slicingValue(s: SlicingValue, variables: Record<string, unknown>): unknown {
  if ('value' in s) return s.value;
  // An unset variable leaves the argument to its schema default, as in execution; an explicit null stays null.
  return Object.prototype.hasOwnProperty.call(variables, s.variable) ? variables[s.variable] : s.argDefault;
}

/** The largest slicing argument given, else the fallback (assumedSize or the default list size). */
export function slicedSize(slicing: readonly SlicingValue[], fallback: number, variables: Record<string, unknown>): number {
  let best: number | undefined;
  for (const s of slicing) {
    const n = asSize(slicingValue(s, variables));
    if (n !== undefined && (best === undefined || n > best)) best = n;
  }
  return best ?? fallback;
}

function sizerArguments(args: readonly SizerArgument[], raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const a of args) values[a.name] = 'value' in a ? a.value : Object.prototype.hasOwnProperty.call(raw, a.variable) ? raw[a.variable] : a.fallback;
  return values;
}

/** The list's size for this request: the sizer's answer when it has one, else the slicing arguments or the fallback. */
export function listSize(plan: SizePlan, run: EstimateRun): number {
  if (plan.fixed !== undefined) return plan.fixed;
  if (plan.sizer) {
    let sized: number | undefined;
    try {
      sized = asSize(plan.sizer.fn(sizerArguments(plan.sizer.args, run.raw), run.now));
    } catch {
      // A sizer that cannot read its arguments has no opinion: the other rules still give a bound.
    }
    if (sized !== undefined) return sized;
  }
  return slicedSize(plan.slicing, plan.fallback, run.variables);
}
