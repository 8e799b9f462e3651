import fs from 'node:fs/promises';
import type { Executor } from '@graphql-tools/utils';
import { schemaFromExecutor } from '@graphql-tools/wrap';
import { buildASTSchema, type DefinitionNode, type DocumentNode, GraphQLSchema, Kind, parse, printSchema, validateSchema } from 'graphql';
import { COST_DIRECTIVES } from '../cost/cost-directives';
import { normalizeCostSdl } from '../cost/cost-sdl';
import { AUTH_DIRECTIVES } from '../directives/directive-definitions';
import { GatewayConfigError, type UpstreamConfig } from './gateway-config';

const GUARD_DIRECTIVE_NAMES = new Set(AUTH_DIRECTIVES.map((d) => d.name));

/** Keygate's own definitions of the guard and cost directives, so an SDL may use them without declaring them. */
const GUARD_DEFINITIONS: readonly DefinitionNode[] = parse(
  printSchema(new GraphQLSchema({ directives: [...AUTH_DIRECTIVES, ...COST_DIRECTIVES] })).trim() || 'scalar _Unused',
).definitions.filter((d) => d.kind === Kind.DIRECTIVE_DEFINITION);

/**
 * Builds an upstream's schema from its SDL file. The guard directives always mean Keygate's
 * (a declaration in the file is replaced); other directives, such as federation's, are kept
 * as written and not interpreted.
 */
export function schemaFromSdl(sdl: string, source: string): GraphQLSchema {
  let doc: DocumentNode;
  try {
    // @cost/@listSize mean Keygate's too (a weight written as a string becomes an Int).
    doc = normalizeCostSdl(parse(sdl, { noLocation: true }));
  } catch (err) {
    throw new GatewayConfigError(`${source}: not valid GraphQL SDL: ${(err as Error).message.split('\n')[0]}`);
  }
  const definitions = doc.definitions.filter((d) => !(d.kind === Kind.DIRECTIVE_DEFINITION && GUARD_DIRECTIVE_NAMES.has(d.name.value)));
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema({ kind: Kind.DOCUMENT, definitions: [...definitions, ...GUARD_DEFINITIONS] }, { assumeValidSDL: true });
  } catch (err) {
    throw new GatewayConfigError(`${source}: ${(err as Error).message.split('\n')[0]}`);
  }
  const problems = validateSchema(schema);
  if (problems.length) throw new GatewayConfigError(`${source}: ${problems[0].message}`);
  return schema;
}

/** The upstream's schema: from its schemaFile when given, otherwise introspected through `executor`. */
export async function loadUpstreamSchema(upstream: UpstreamConfig, executor: Executor): Promise<GraphQLSchema> {
  if (upstream.schemaFile) {
    let sdl: string;
    try {
      sdl = await fs.readFile(upstream.schemaFile, 'utf8');
    } catch (err) {
      throw new GatewayConfigError(
        `upstream "${upstream.name}": schemaFile ${upstream.schemaFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    return schemaFromSdl(sdl, `upstream "${upstream.name}" schemaFile ${upstream.schemaFile}`);
  }
  try {
    return await schemaFromExecutor(executor);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : 'no answer';
    throw new GatewayConfigError(`upstream "${upstream.name}" at ${upstream.url} cannot be introspected and has no schemaFile (${reason})`);
  }
}
