import { type FragmentDefinitionNode, Kind, type OperationDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';

/** The `if:` of @skip/@include: a literal, or a variable's value for this compilation (unknown counts as "keep": the dearer reading). */
function flag(selection: SelectionNode, name: 'skip' | 'include', conditions: Readonly<Record<string, boolean>>): boolean | undefined {
  const directive = selection.directives?.find((d) => d.name.value === name);
  const value = directive?.arguments?.find((a) => a.name.value === 'if')?.value;
  if (!value) return undefined;
  if (value.kind === Kind.BOOLEAN) return value.value;
  if (value.kind === Kind.VARIABLE) return conditions[value.name.value];
  return undefined;
}

/** Whether execution would include this selection, given the values of the condition variables. */
export function conditionHolds(selection: SelectionNode, conditions: Readonly<Record<string, boolean>>): boolean {
  return flag(selection, 'skip', conditions) !== true && flag(selection, 'include', conditions) !== false;
}

/** The variables that @skip/@include read anywhere in the operation and the fragments it uses. */
export function conditionVariables(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      for (const d of selection.directives ?? []) {
        if (d.name.value !== 'skip' && d.name.value !== 'include') continue;
        for (const a of d.arguments ?? []) if (a.value.kind === Kind.VARIABLE) found.add(a.value.name.value);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          visit(fragment.selectionSet);
        }
      } else if (selection.selectionSet) visit(selection.selectionSet);
    }
  };
  visit(operation.selectionSet);
  return [...found];
}
