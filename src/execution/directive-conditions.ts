import {
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  getDirectiveValues,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * `@skip(if: $v)` / `@include(if: $v)` with `$v: Boolean = true` passes validation (a defaulted
 * variable may stand in a `Boolean!` position), yet an explicit `"v": null` in the variables makes
 * `if` null, which graphql-js reports only while collecting fields during execution: at the root
 * as an error with no code (a 500 through Apollo), below it as a field error (masked as internal).
 * Checked here before anything runs, the request gets graphql-js's own message as the request
 * error it is: BAD_USER_INPUT, like any other variable that does not fit where it is used.
 *
 * Every @skip / @include the operation can reach is checked, including those under a field that a
 * condition would skip: a null there is still a mistake in the request, and refusing it whole is
 * simpler to reason about than an answer that depends on which branch ran.
 */
export function conditionError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): GraphQLError | undefined {
  // Only a variable can make `if` null (validation refuses a null literal), and only a nullable,
  // defaulted one given an explicit null: without one, nothing below can fail. Nulls for nullable
  // variables are common (`after: null`), so the walk below looks only at conditions using them.
  const nulls = new Set<string>();
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.type.kind !== Kind.NON_NULL_TYPE && rawVariables?.[name] === null) nulls.add(name);
  }
  if (nulls.size === 0) return undefined;
  let variables: Record<string, unknown> | undefined;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visited = new Set<string>();
  // A work list, not recursion: a client controls how deeply selections and fragments nest.
  const pending: SelectionSetNode[] = [operation.selectionSet];
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.directives?.some((d) => isNullCondition(d, nulls))) {
        // graphql-js coerces the variables before it looks at a condition: one that does not coerce is
        // refused with its own error first, and so is left to it here.
        variables ??= coercedOrUndefined(schema, operation, rawVariables!);
        if (!variables) return undefined;
        try {
          getDirectiveValues(GraphQLSkipDirective, selection, variables);
          getDirectiveValues(GraphQLIncludeDirective, selection, variables);
        } catch (err) {
          if (!(err instanceof GraphQLError)) throw err;
          // graphql-js's message names the argument and its type, nothing the client wrote.
          return new GraphQLError(err.message, { nodes: err.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        }
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        pending.push(fragment.selectionSet);
      } else if (selection.selectionSet) {
        pending.push(selection.selectionSet);
      }
    }
  }
  return undefined;
}

function isNullCondition(directive: DirectiveNode, nulls: ReadonlySet<string>): boolean {
  if (directive.name.value !== GraphQLSkipDirective.name && directive.name.value !== GraphQLIncludeDirective.name) return false;
  return directive.arguments?.some((a) => a.value.kind === Kind.VARIABLE && nulls.has(a.value.name.value)) ?? false;
}

function coercedOrUndefined(schema: GraphQLSchema, operation: OperationDefinitionNode, rawVariables: Record<string, unknown>): Record<string, unknown> | undefined {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 1 });
  return coerced.errors ? undefined : coerced.coerced;
}
