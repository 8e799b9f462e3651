import type { GraphQLRequest } from '@apollo/server';
import { type ASTNode, type DocumentNode, GraphQLError, Kind, visit } from 'graphql';
import { BadUserInputError } from '../errors/app-errors';
import { isSchemaName } from '../errors/client-text';
import { findHostileString, type HostileString, PROBLEM_REASON, type StringProblem, stringProblem } from './hostile-strings';

/**
 * The path of the first NUL or lone surrogate in `value`, dotted (`i.scopes[0]`), or undefined.
 * Kept for callers that only need to know whether a value is safe (the prepared-query lane).
 */
export function findNul(value: unknown, prefix = ''): string | undefined {
  const found = findHostileString(value);
  if (!found) return undefined;
  return found.path.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key), prefix);
}

function refuse(field: string, problem: StringProblem): GraphQLError {
  // The typed error carries `field` through formatError; the status is a request error's.
  const error = new BadUserInputError(field, PROBLEM_REASON[problem]);
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, field, http: { status: 400 } } });
}

/** For each variable, the argument or input field it is passed to first: that is the field a client knows. */
function variableUses(document: DocumentNode): Map<string, string> {
  const uses = new Map<string, string>();
  // graphql-js's visit walks with its own stack, not by recursion.
  visit(document, {
    Variable(node, _key, parent, _path, ancestors) {
      if (uses.has(node.name.value)) return;
      // graphql-js lists the ancestors above the parent, not the parent itself.
      const chain = [...ancestors, parent];
      for (let i = chain.length - 1; i >= 0; i--) {
        const ancestor = chain[i] as ASTNode | readonly ASTNode[] | undefined;
        if (!ancestor) continue;
        if (Array.isArray(ancestor)) continue;
        const kind = (ancestor as ASTNode).kind;
        if (kind === Kind.VARIABLE_DEFINITION) return;
        if (kind === Kind.ARGUMENT || kind === Kind.OBJECT_FIELD) {
          uses.set(node.name.value, (ancestor as { name: { value: string } }).name.value);
          return;
        }
      }
    },
  });
  return uses;
}

/**
 * The field a client would recognise: the innermost input field, else the argument the variable
 * feeds. Only names the schema defines are used: an object key in the variables is the client's
 * own text, which could be anything (even a secret pasted in the wrong place).
 */
function fieldOf(found: HostileString, document: DocumentNode): string {
  const [variable, ...rest] = found.path;
  for (let i = rest.length - 1; i >= 0; i--) {
    const key = rest[i];
    if (typeof key === 'string' && isSchemaName(key)) return key;
  }
  if (typeof variable !== 'string') return 'variables';
  return variableUses(document).get(variable) ?? (isSchemaName(variable) ? variable : 'variables');
}

/**
 * A cheap, conservative test: the document may hold U+0000 in a string literal. GraphQL spells
 * it raw, as `\u0000`, or with the braced escape in any width (`\u{0}`, `\u{000000}`): any braced
 * escape at all sends the document to the real check on the parsed strings, so no spelling of
 * NUL the lexer accepts can slip past a pattern that forgot it.
 */
function mayHoldNul(query: string): boolean {
  return query.includes('\u0000') || query.includes('\\u0000') || query.includes('\\u{');
}

/** The name a field-level error about a literal gives: the innermost argument or input field the schema defines. */
function literalField(ancestors: ReadonlyArray<ASTNode | readonly ASTNode[]>, document: DocumentNode): string {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const ancestor = ancestors[i];
    if (Array.isArray(ancestor)) continue;
    const node = ancestor as ASTNode;
    if ((node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) && isSchemaName(node.name.value)) return node.name.value;
    // A variable's default value: named after what the variable is passed to.
    if (node.kind === Kind.VARIABLE_DEFINITION) return variableUses(document).get(node.variable.name.value) ?? 'query';
  }
  return 'query';
}

/**
 * PostgreSQL stores neither U+0000 nor lone UTF-16 surrogates and answers them with an error;
 * refusing them here, for every argument of every operation, before anything runs, keeps them a
 * clear BAD_USER_INPUT naming the field instead of a 500. (graphql-js's lexer already refuses
 * lone surrogates in the document's own string literals.)
 */
export function refuseHostileInput(request: GraphQLRequest, document: DocumentNode): void {
  // The common request (nothing hostile anywhere) costs one walk of its variables and one scan of its text.
  const inVariables = request.variables ? findHostileString(request.variables) : undefined;
  if (inVariables) throw refuse(fieldOf(inVariables, document), inVariables.problem);
  if (request.query === undefined || !mayHoldNul(request.query)) return;
  visit(document, {
    [Kind.STRING](node, _key, parent, _path, ancestors) {
      // graphql-js's lexer already refuses lone surrogates (raw, `\uD800` or `\u{D800}`); checked
      // alike all the same, so the guard does not rest on that.
      const problem = stringProblem(node.value);
      if (problem) throw refuse(literalField(parent ? [...ancestors, parent] : ancestors, document), problem);
    },
  });
}
