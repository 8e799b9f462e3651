import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { RateLimitedError } from '../errors/app-errors';
import type { RequestUsage } from './request-usage';

interface UsageContext {
  usage?: RequestUsage;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** A rate-limit refusal is counted as such (rateLimited), not as the field failing. */
function failed(usage: RequestUsage, coordinate: string, err: unknown): void {
  if (!(err instanceof RateLimitedError)) usage.fieldFailed(coordinate);
}

/**
 * Notes each root field (`Query.x`, `Mutation.y`) a client key's request resolves, and whether it
 * failed (scope refusals included: this wraps the authorization checks). For users and anonymous
 * callers it is one property read. Apply it last, over the finished schema.
 */
export function withRootFieldUsage(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name].filter((n): n is string => n !== undefined));
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig: GraphQLFieldConfig<unknown, UsageContext>, fieldName, typeName) => {
      if (!roots.has(typeName)) return fieldConfig;
      const coordinate = `${typeName}.${fieldName}`;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve(source, args, context, info) {
          const usage = context?.usage;
          if (usage === undefined) return resolve(source, args, context, info);
          usage.field(coordinate, String(info.path.key));
          try {
            const result = resolve(source, args, context, info);
            // A stitched (upstream) field answers its error as a value rather than throwing it.
            if (!isThenable(result)) {
              if (result instanceof Error) failed(usage, coordinate, result);
              return result;
            }
            return result.then(
              (value) => {
                if (value instanceof Error) failed(usage, coordinate, value);
                return value;
              },
              (err: unknown) => {
                failed(usage, coordinate, err);
                throw err;
              },
            );
          } catch (err) {
            failed(usage, coordinate, err);
            throw err;
          }
        },
      };
    },
  });
}
