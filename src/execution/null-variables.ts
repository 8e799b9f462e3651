import {
  type ASTNode,
  type DocumentNode,
  getVariableValues,
  GraphQLError,
  type GraphQLSchema,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { usedFragments } from '../common/used-fragments';

/**
 * A variable with a default may stand where a non-null value is wanted (`$v: Boolean = true` in
 * `@include(if: $v)`, `$id: ID = "…"` in `deleteClientKey(id: $id)`, or inside an input object or a
 * list), so the document validates; yet an explicit `"v": null` in the variables puts a null there.
 * graphql-js finds out only while executing: for a root condition as an error with no code (a 500
 * through Apollo), for an argument as a field error (masked as internal, and logged with the whole
 * literal around the variable, which may hold a secret). Checked here before anything runs, the
 * request is refused as the bad input it is: BAD_USER_INPUT, like a variable that does not coerce.
 *
 * Every use the operation can reach is checked, including those under a field a condition would
 * skip: a null there is still a mistake in the request, and refusing it whole is simpler to reason
 * about than an answer that depends on which branch ran.
 */
export function nullVariableError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): GraphQLError | undefined {
  if (!operation.variableDefinitions?.length || rawVariables === undefined) return undefined;
  // Only a nullable variable given an explicit null can put a null where validation saw none. Such
  // nulls are common (`after: null`), and then the walk below is all the extra work.
  const nulls = new Set<string>();
  for (const definition of operation.variableDefinitions) {
    const name = definition.variable.name.value;
    if (definition.type.kind !== Kind.NON_NULL_TYPE && Object.hasOwn(rawVariables, name) && rawVariables[name] === null) {
      nulls.add(name);
    }
  }
  if (nulls.size === 0) return undefined;
  const found = firstNullInNonNullPosition(schema, document, operation, nulls);
  if (!found) return undefined;
  // graphql-js coerces the variables before it runs anything: one that does not coerce is refused
  // with its own error first, and so is left to it.
  if (getVariableValues(schema, operation.variableDefinitions, rawVariables, { maxErrors: 1 }).errors) return undefined;
  return new GraphQLError(found.message, { nodes: found.node, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

function firstNullInNonNullPosition(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  nulls: ReadonlySet<string>,
): { message: string; node: ASTNode } | undefined {
  let found: { message: string; node: ASTNode } | undefined;
  for (const definition of [operation, ...usedFragments(document, operation)]) {
    if (found) break;
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        // The definitions' own variables are not uses.
        VariableDefinition: () => false,
        Variable(node, _key, parent) {
          const expected = typeInfo.getInputType();
          if (found || !nulls.has(node.name.value) || !expected || !isNonNullType(expected)) return;
          const argument = parent && !Array.isArray(parent) && (parent as ASTNode).kind === Kind.ARGUMENT ? typeInfo.getArgument() : undefined;
          // For an argument, graphql-js's own words; elsewhere (an input field, a list item) its
          // message would print the whole literal, so the variable and the expected type are named.
          const message = argument
            ? `Argument "${argument.name}" of non-null type "${String(expected)}" must not be null.`
            : `Variable "$${node.name.value}" must not be null where a value of type "${String(expected)}" is expected.`;
          found = { message, node };
          return false;
        },
      }),
    );
  }
  return found;
}
