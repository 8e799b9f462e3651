import { type DocumentNode, Kind, visit } from 'graphql';
import { COST_DIRECTIVES } from './cost-directives';

const COST_NAMES = new Set(COST_DIRECTIVES.map((d) => d.name));

/** An SDL's @cost weight that is not a number: the schema cannot be priced as written. */
export class CostSdlError extends Error {
  override name = 'CostSdlError';
}

/**
 * Makes an SDL's cost directives mean Keygate's: its own declarations of @cost/@listSize are
 * dropped (the caller adds Keygate's), and a weight written as a string holding a number (IBM's
 * original `weight: String!`) becomes an Int, rounded up so that the estimate stays an upper bound.
 * One definition for the whole stitched schema, or graphql-tools would read Keygate's own
 * `@cost(weight: 1)` against an upstream's `String!` and fail.
 */
export function normalizeCostSdl(document: DocumentNode): DocumentNode {
  return visit(document, {
    DirectiveDefinition: (node) => (COST_NAMES.has(node.name.value) ? null : undefined),
    Directive: (node) => {
      if (node.name.value !== 'cost') return undefined;
      const weight = node.arguments?.find((a) => a.name.value === 'weight');
      if (!weight || weight.value.kind === Kind.INT) return undefined;
      const n = weight.value.kind === Kind.STRING || weight.value.kind === Kind.FLOAT ? Number(weight.value.value) : NaN;
      if (!Number.isFinite(n) || Math.abs(n) > 1_000_000_000) throw new CostSdlError('a @cost weight is not a number');
      const value = { kind: Kind.INT, value: String(Math.ceil(n)) } as const;
      return { ...node, arguments: node.arguments!.map((a) => (a === weight ? { ...a, value } : a)) };
    },
  });
}
