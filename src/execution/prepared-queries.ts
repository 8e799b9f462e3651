import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { type DocumentNode, execute, type ExecutionResult, getOperationAST, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GraphQLContext } from '../context/graphql-context';
import { findNul, mayHoldNul } from '../server/nul-byte-guard';

export interface PreparedQueriesOptions {
  /**
   * Documents are kept by their source text; the sum of their lengths is bounded, so a client
   * sending endless distinct queries only evicts older ones. An AST takes several times its source.
   */
  maxCharacters?: number;
}

/**
 * Queries Apollo has already parsed and validated, run again without its request pipeline.
 *
 * Apollo spends more per request on its pipeline (a SHA-256 of the document, a dozen plugin
 * hooks, Accept negotiation, copying the context) than graphql-js spends running a small
 * query. Validation depends only on the document and the schema, so once Apollo has accepted
 * a query document, executing it again needs only graphql-js. The first request for a
 * document, and every result with an error, still go through Apollo: it alone decides error
 * codes, formatting and HTTP status. Only queries are taken, because that fallback executes
 * again, which a read can afford and a mutation could not.
 */
export class PreparedQueries {
  private readonly documents: LRUCache<string, DocumentNode>;

  /** Requests answered here without Apollo, for tests and operators. */
  served = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    options: PreparedQueriesOptions = {},
  ) {
    this.documents = new LRUCache({ maxSize: options.maxCharacters ?? 1024 * 1024, sizeCalculation: (_document, source) => source.length });
  }

  /** Remembers each query document Apollo resolves to a single operation. */
  readonly plugin: ApolloServerPlugin<GraphQLContext> = {
    requestDidStart: async () => this.listener,
  };

  private readonly listener: GraphQLRequestListener<BaseContext> = {
    didResolveOperation: async ({ source, document, operation }) => {
      // A document holding U+0000 is refused by the NUL guard, never remembered.
      if (operation?.operation === 'query' && !mayHoldNul(source)) this.documents.set(source, document);
    },
  };

  /**
   * The result of a remembered query, or undefined when this request must go through Apollo:
   * a new document, an operation name that does not pick a query, a NUL in the variables, or
   * a result with errors (Apollo runs it again and formats them).
   */
  run(query: string, operationName: string | undefined, variables: Record<string, unknown> | undefined, contextValue: GraphQLContext): ExecutionResult | Promise<ExecutionResult | undefined> | undefined {
    const document = this.documents.get(query);
    if (!document || getOperationAST(document, operationName)?.operation !== 'query') return undefined;
    if (variables && findNul(variables, '') !== undefined) return undefined;
    const result = execute({ schema: this.schema, document, operationName, variableValues: variables, contextValue });
    if (result instanceof Promise) return result.then((settled) => this.withoutErrors(settled));
    return this.withoutErrors(result);
  }

  private withoutErrors(result: ExecutionResult): ExecutionResult | undefined {
    if (result.errors) return undefined;
    this.served++;
    return result;
  }
}
