import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { GraphQLContext } from '../identity/graphql-context';
import { RateLimitedError } from '../errors/app-errors';
import { requestRecord } from '../logging/request-record';
import type { KeyRateLimiter } from '../rate-limiting/key-rate-limiter';
import { OUTCOME, type RequestOutcome } from './request-outcome';
import { nullVariableError } from './null-variables';
import { rootFieldCoordinates } from './root-fields';

/** The context of a request on the pipeline: the resolvers' context plus the request's outcome. */
export type PipelineContext = GraphQLContext & { [OUTCOME]: RequestOutcome };

/**
 * The pipeline's steps inside Apollo, between validation and execution (one plugin, one listener
 * object for every request: each plugin costs every request a hook call per stage):
 * - note the operation's name for the access log: only the name of the operation the document
 *   defines and runs, never the request's `operationName` (client text that may name nothing);
 * - refuse a variable sent as null where a non-null value is wanted as BAD_USER_INPUT (see null-variables.ts);
 * - once the operation is known (parsed and validated, or taken from Apollo's documentStore),
 *   count its root fields and charge them to a client key's budget, refusing the whole request
 *   with RATE_LIMITED when they do not fit, before anything runs;
 * - keep the error objects of the response, from which `errors/error-policy.ts` picks the HTTP
 *   status after Apollo has answered.
 * It changes no response itself.
 */
export function createPipelinePlugin(rateLimiter: KeyRateLimiter): ApolloServerPlugin<PipelineContext> {
  const listener: GraphQLRequestListener<PipelineContext> = {
    async didResolveOperation({ contextValue, document, operation, schema, request }) {
      const outcome = contextValue[OUTCOME];
      outcome.operationName = operation?.name?.value;
      if (outcome.operationName) requestRecord(contextValue).operationName = outcome.operationName;
      // Before counting: a null graphql-js would only fail on mid-execution is refused here, as a request error.
      const refused = operation ? nullVariableError(schema, document, operation, request.variables) : undefined;
      if (refused) throw refused;
      const fields = operation ? rootFieldCoordinates(schema, document, operation, request.variables) : undefined;
      // No fields when the operation cannot run (unknown name, variables that do not coerce): it will fail at once.
      outcome.rootFields = fields ?? [];
      const principal = contextValue.principal;
      if (principal?.kind !== 'CLIENT_KEY' || outcome.rootFields.length === 0) return;
      try {
        outcome.rateLimitHeaders = await rateLimiter.consume(principal.id, principal.rateLimitPerMinute, outcome.rootFields.length);
      } catch (err) {
        if (err instanceof RateLimitedError) {
          outcome.rateLimited = true;
          outcome.rootFields = [];
        }
        throw err;
      }
    },
    async didEncounterErrors({ contextValue, errors }) {
      contextValue[OUTCOME].errors = errors;
    },
  };
  // The listener keeps its state in the context, so one object (and one settled promise of it) serves every request.
  const started = Promise.resolve(listener);
  return { requestDidStart: () => started };
}
