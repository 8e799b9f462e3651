import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit } from 'graphql';

/**
 * PostgreSQL text cannot hold U+0000 and answers such a value with an error; refusing it here,
 * for every argument of every operation, keeps it a clear BAD_USER_INPUT instead of a 500.
 */
export function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = findNul(inner, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

function refuse(field: string): GraphQLError {
  return new GraphQLError(`${field}: must not contain the NUL character`, { extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } } });
}

/** A cheap, conservative test: the document may hold U+0000 in a string literal, raw or escaped. */
function mayHoldNul(query: string): boolean {
  return query.includes('\\u0000') || query.includes('\u0000');
}

export const nulByteGuard: ApolloServerPlugin = {
  // Decided up front so the common request (no NUL anywhere) costs no per-request listener.
  async requestDidStart({ request }) {
    const inVariables = request.variables ? findNul(request.variables, '') : undefined;
    const inQuery = request.query !== undefined && mayHoldNul(request.query);
    if (!inVariables && !inQuery) return;
    return {
      async didResolveOperation({ document }) {
        if (inVariables) throw refuse(inVariables);
        visit(document, {
          [Kind.STRING](node) {
            if (node.value.includes('\u0000')) throw refuse('query');
          },
        });
      },
    };
  },
};
