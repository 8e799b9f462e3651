import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getDirectiveValues,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The root fields an operation will execute, as schema coordinates (`Mutation.createClientKey`),
 * one entry per response key: 15 aliases of one mutation are 15 entries, and the same key
 * selected twice (merged by GraphQL) is one. Fragments and inline fragments on the root type
 * are followed, and `@skip` / `@include` are honoured with the request's variables, as
 * graphql-js's own field collection does. Nothing here knows Keygate's fields, so fields that
 * other services contribute to the schema count the same way.
 *
 * Returns undefined when the variables do not coerce, or a condition cannot be evaluated: such
 * an operation executes nothing.
 */
export function rootFieldCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): string[] | undefined {
  // Without variables the answer depends on the document alone, which Apollo's documentStore
  // hands back as the same object for the same text: worked out once per operation.
  if (!operation.variableDefinitions?.length) {
    let fields = withoutVariables.get(operation);
    if (!fields) withoutVariables.set(operation, (fields = Object.freeze(collect(schema, document, operation, undefined)!) as string[]));
    return fields;
  }
  return collect(schema, document, operation, rawVariables);
}

const withoutVariables = new WeakMap<OperationDefinitionNode, string[]>();

function collect(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): string[] | undefined {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return [];
  let variables: Record<string, unknown> = {};
  if (operation.variableDefinitions?.length) {
    const coerced = getVariableValues(schema, operation.variableDefinitions, rawVariables ?? {}, { maxErrors: 1 });
    if (coerced.errors) return undefined;
    variables = coerced.coerced;
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const included = (node: Parameters<typeof getDirectiveValues>[1]) => {
    if (!node.directives?.length) return true;
    try {
      return (
        getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false
      );
    } catch {
      // A condition graphql-js cannot evaluate (a null `if`): the operation fails before any field
      // runs, so none is counted. null-variables.ts refuses such requests before this is asked.
      return undefined;
    }
  };
  const onRoot = (typeName: string | undefined) => typeName === undefined || typeName === rootType.name;

  const fields = new Map<string, string>();
  const visited = new Set<string>();
  // A work list, not recursion: a client controls how deeply fragments nest.
  const pending: SelectionSetNode[] = [operation.selectionSet];
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      const include = included(selection);
      if (include === undefined) return undefined;
      if (!include) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (!fields.has(key)) fields.set(key, `${rootType.name}.${selection.name.value}`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (onRoot(selection.typeCondition?.name.value)) pending.push(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (visited.has(name) || !fragment || !onRoot(fragment.typeCondition.name.value)) continue;
        visited.add(name);
        pending.push(fragment.selectionSet);
      }
    }
  }
  return [...fields.values()];
}
