import { type DocumentNode, type FieldNode, Kind, type OperationDefinitionNode, type SelectionNode } from 'graphql';

/** The root field that prices an operation: `rateLimit(dryRun: true)` runs alone and charges nothing. */
const RATE_LIMIT_FIELD = 'rateLimit';

function dryRunArgument(field: FieldNode, variables: Record<string, unknown> | undefined): boolean {
  const arg = field.arguments?.find((a) => a.name.value === 'dryRun');
  if (!arg) return false;
  if (arg.value.kind === Kind.BOOLEAN) return arg.value.value;
  if (arg.value.kind === Kind.VARIABLE) return variables?.[arg.value.name.value] === true;
  return false;
}

function rateLimitFields(selections: readonly SelectionNode[]): FieldNode[] {
  return selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === RATE_LIMIT_FIELD);
}

/** Whether the operation is a dry run: a query selecting `rateLimit(dryRun: true)` at its root. */
export function isDryRun(operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): boolean {
  return operation.operation === 'query' && rateLimitFields(operation.selectionSet.selections).some((f) => dryRunArgument(f, variables));
}

/** The operation with only its `rateLimit` root fields: what a dry run executes. */
export function dryRunDocument(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const reduced: OperationDefinitionNode = {
    ...operation,
    selectionSet: { ...operation.selectionSet, selections: rateLimitFields(operation.selectionSet.selections) },
  };
  return { ...document, definitions: [reduced, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)] };
}
