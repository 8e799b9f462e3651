import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * What one document may ask for before it is refused. The token limit bounds parsing (graphql-js
 * stops lexing past it), and with it every later step that grows with the document: validation
 * compares fields pairwise, so its cost grows with the square of the document's size. The largest
 * legitimate documents Keygate knows (GraphiQL's introspection query, the SDK's operations) hold
 * under 300 tokens; the deepest legitimate query (a key page with its owners) has depth 4.
 */
export interface QueryLimits {
  maxTokens: number;
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxVariables: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxTokens: 1000, maxDepth: 10, maxCost: 5000, maxAliases: 15, maxDirectives: 20, maxVariables: 25 };

/** graphql-armor throws by default (a 500 in Apollo); reporting makes it a validation error. */
const refuse = {
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, '')))],
};

/** Each operation may declare at most `n` variables: every definition costs validation work. */
export function maxVariablesRule(n: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const count = node.variableDefinitions?.length ?? 0;
      if (count > n) context.reportError(new GraphQLError(`Variables limit of ${n} exceeded, found ${count}.`, { nodes: [node] }));
    },
  });
}

/** The validation rules that enforce the limits (the token limit is the parser's: see parseOptions). */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, exposeLimits: true, ...refuse }),
    costLimitRule({ maxCost: limits.maxCost, exposeLimits: true, ...refuse }),
    // `__typename` counts like any field: graphql-armor lets it through by default, which let
    // thousands of aliases of it into one document.
    maxAliasesRule({ n: limits.maxAliases, allowList: [], exposeLimits: true, ...refuse }),
    maxDirectivesRule({ n: limits.maxDirectives, exposeLimits: true, ...refuse }),
    maxVariablesRule(limits.maxVariables),
  ];
}
