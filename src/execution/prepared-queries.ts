import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { type DocumentNode, execute, type ExecutionResult, getOperationAST, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GraphQLContext } from '../context/graphql-context';
import { ServiceUnavailableError } from '../errors/app-errors';
import { isDependencyUnavailable } from '../errors/format-error';
import { findNul } from '../server/nul-byte-guard';
import { requestRecord } from '../logging/request-record';

/**
 * What a parsed document costs per character of its source: graphql-js keeps a location for
 * every token. Measured at about 80 bytes for a typical query, up to 240 for dense ones.
 */
const BYTES_PER_SOURCE_CHARACTER = 120;

export interface PreparedQueriesOptions {
  /** Memory budget for remembered documents, estimated from their source length. */
  maxBytes?: number;
  /**
   * Off when upstreams are configured: a result with errors is executed again through Apollo,
   * which would send an upstream the same operation twice; and the schema can change on reload.
   */
  enabled?: boolean;
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
 *
 * This holds while no Apollo plugin changes a successful response (its headers, status or
 * `extensions`): see the plugin list in `server/create-apollo.ts`.
 */
export class PreparedQueries {
  private readonly documents: LRUCache<string, DocumentNode>;
  private readonly enabled: boolean;

  /** Requests answered here without Apollo, for tests. */
  served = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    options: PreparedQueriesOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    const maxSize = options.maxBytes ?? 16 * 1024 * 1024;
    // A single large document would evict everything else for little gain: it is not kept.
    this.documents = new LRUCache({ maxSize, maxEntrySize: maxSize / 8, sizeCalculation: (_document, source) => source.length * BYTES_PER_SOURCE_CHARACTER });
  }

  /** Remembers each query document Apollo goes on to execute. */
  readonly plugin: ApolloServerPlugin<GraphQLContext> = {
    requestDidStart: async () => this.listener,
  };

  private readonly listener: GraphQLRequestListener<BaseContext> = {
    // Execution starts only once every plugin has accepted the operation, the NUL guard
    // included (didResolveOperation hooks run side by side, so remembering there could keep a
    // refused document).
    executionDidStart: async ({ source, document, operation }) => {
      // Apollo's types promise an operation here, but an unknown operation name still executes (to fail).
      if (this.enabled && (operation as typeof operation | undefined)?.operation === 'query') this.documents.set(source, document);
    },
  };

  /**
   * The result of a remembered query, or undefined when this request must go through Apollo:
   * a new document, an operation name that does not pick a query, a NUL in the variables, or
   * a result with errors (Apollo runs it again and formats them). Throws ServiceUnavailableError
   * when the query met a database outage, which is not worth meeting a second time.
   */
  run(query: string, operationName: string | undefined, variables: Record<string, unknown> | undefined, contextValue: GraphQLContext): ExecutionResult | Promise<ExecutionResult | undefined> | undefined {
    const document = this.documents.get(query);
    const operation = document && getOperationAST(document, operationName);
    if (!operation || operation.operation !== 'query') return undefined;
    // For the access log line (Apollo's lane notes it in operationNamePlugin).
    if (operation.name) requestRecord(contextValue).operationName = operation.name.value;
    if (variables && findNul(variables, '') !== undefined) return undefined;
    const result = execute({ schema: this.schema, document, operationName, variableValues: variables, contextValue });
    if (result instanceof Promise) return result.then((settled) => this.settle(settled));
    return this.settle(result);
  }

  private settle(result: ExecutionResult): ExecutionResult | undefined {
    if (!result.errors) {
      this.served++;
      return result;
    }
    if (result.errors.some(isDependencyUnavailable)) throw new ServiceUnavailableError();
    return undefined;
  }
}
