/**
 * Strings PostgreSQL cannot store: U+0000 (text refuses it) and lone UTF-16 surrogates (which
 * have no UTF-8 form: JSON columns such as the audit `changes` refuse them). Refusing them up
 * front keeps them a BAD_USER_INPUT naming the field instead of a database error.
 */
export type StringProblem = 'nul' | 'surrogate' | 'depth';

export interface HostileString {
  /** Where it sits: object keys and list indexes from the root of the walked value. */
  path: Array<string | number>;
  problem: StringProblem;
}

// With the `u` flag a surrogate pair is one astral code point, so only lone halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function stringProblem(value: string): StringProblem | undefined {
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  return undefined;
}

/**
 * No input Keygate (or a sane upstream) takes nests anywhere near this deep, and graphql-js
 * coerces input values recursively: a recursive input type would let a client choose its depth.
 */
export const MAX_INPUT_DEPTH = 64;

export const PROBLEM_REASON: Record<StringProblem, string> = {
  nul: 'must not contain the NUL character',
  surrogate: 'must be valid Unicode text (it contains a lone UTF-16 surrogate)',
  depth: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep`,
};

interface Frame {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
}

function pathOf(frame: Frame): Array<string | number> {
  const path: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f && f.key !== undefined; f = f.parent) path.push(f.key);
  return path.reverse();
}

/**
 * The first NUL or lone surrogate in a JSON-like value (strings, object keys included), or a
 * nesting deeper than MAX_INPUT_DEPTH, or undefined. Iterative: the client chooses the nesting
 * depth, so the walk must not recurse (a few thousand levels would overflow the call stack).
 */
export function findHostileString(root: unknown): HostileString | undefined {
  const stack: Frame[] = [{ value: root, depth: 0, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    // The root holds the variables by name: their own nesting starts below it.
    if (depth > MAX_INPUT_DEPTH + 1 && value !== null && typeof value === 'object') return { path: pathOf(frame), problem: 'depth' };
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { path: pathOf(frame), problem };
    } else if (Array.isArray(value)) {
      // Pushed in reverse so the first offending item is the one reported.
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, key: i, parent: frame });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (const key of keys) {
        const problem = stringProblem(key);
        if (problem) return { path: pathOf(frame), problem };
      }
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push({ value: (value as Record<string, unknown>)[keys[i]], depth: depth + 1, key: keys[i], parent: frame });
    }
  }
  return undefined;
}
