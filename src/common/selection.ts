import { type FragmentDefinitionNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `path` below it (e.g. `nodes.owner`), directly or
 * through fragments, so a resolver can fetch with one query what would otherwise take two.
 * `@skip`/`@include` are not evaluated: a skipped selection still counts, which costs only
 * the extra read.
 */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return info.fieldNodes.some((node) => selects(node.selectionSet, path, info.fragments));
}

function selects(set: SelectionSetNode | undefined, path: readonly string[], fragments: Record<string, FragmentDefinitionNode>): boolean {
  if (!set || path.length === 0) return path.length === 0;
  const [head, ...rest] = path;
  return set.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === head && selects(selection.selectionSet, rest, fragments);
      case Kind.INLINE_FRAGMENT:
        return selects(selection.selectionSet, path, fragments);
      case Kind.FRAGMENT_SPREAD:
        // Validation has refused cyclic fragments before anything runs.
        return selects(fragments[selection.name.value]?.selectionSet, path, fragments);
    }
  });
}
