import { type DocumentNode, type FieldNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The root field that prices an operation: `rateLimit(dryRun: true)` runs alone and charges nothing. */
const RATE_LIMIT_FIELD = 'rateLimit';

/**
 * The operation's `rateLimit` root fields, found once per parsed operation: Apollo hands the same
 * document object to every request with the same text, and this is asked on every key request.
 */
const rateLimitFieldsOf = new WeakMap<OperationDefinitionNode, FieldNode[]>();

function rateLimitFields(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  let fields = rateLimitFieldsOf.get(operation);
  if (!fields) rateLimitFieldsOf.set(operation, (fields = findRateLimitFields(document, operation.selectionSet)));
  return fields;
}

/** The `rateLimit` fields at the operation's root, through fragments and inline fragments too. */
function findRateLimitFields(document: DocumentNode, selectionSet: SelectionSetNode): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const found: FieldNode[] = [];
  const visited = new Set<string>();
  // A work list, not recursion: a client controls how deeply fragments nest.
  const pending: SelectionSetNode[] = [selectionSet];
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === RATE_LIMIT_FIELD) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        pending.push(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return found;
}

/** The value `dryRun` takes: a literal, or a variable as sent, else its default. */
function dryRunArgument(operation: OperationDefinitionNode, field: FieldNode, variables: Record<string, unknown> | undefined): boolean {
  const arg = field.arguments?.find((a) => a.name.value === 'dryRun');
  if (!arg) return false;
  if (arg.value.kind === Kind.BOOLEAN) return arg.value.value;
  if (arg.value.kind !== Kind.VARIABLE) return false;
  const name = arg.value.name.value;
  if (variables && name in variables) return variables[name] === true;
  const fallback = operation.variableDefinitions?.find((d) => d.variable.name.value === name)?.defaultValue;
  return fallback?.kind === Kind.BOOLEAN && fallback.value;
}

/**
 * Whether the operation is a dry run: a query with `rateLimit(dryRun: true)` at its root, however
 * it is reached (a fragment, an inline fragment, a variable or its default). Erring towards a dry
 * run is safe: it runs nothing but `rateLimit` and charges nothing.
 */
export function isDryRun(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): boolean {
  return operation.operation === 'query' && rateLimitFields(document, operation).some((f) => dryRunArgument(operation, f, variables));
}

/** The operation with only its `rateLimit` root fields: what a dry run executes. */
export function dryRunDocument(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const reduced: OperationDefinitionNode = {
    ...operation,
    selectionSet: { ...operation.selectionSet, selections: rateLimitFields(document, operation) },
  };
  return { ...document, definitions: [reduced, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)] };
}
