import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type GraphQLFieldConfig,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type ObjectTypeDefinitionNode,
  parseType,
} from 'graphql';
import { AUTH_DIRECTIVES } from '../directives/directive-definitions';
import { type FieldPolicy, GatewayConfigError, type UpstreamConfig } from './gateway-config';

const GUARD_NAMES = AUTH_DIRECTIVES.map((d) => d.name);

function directiveFor(policy: FieldPolicy): ConstDirectiveNode {
  const text = policy === 'public' ? '@public' : policy === 'authenticated' ? '@authenticated' : `@requiresScopes(scopes: ${JSON.stringify(policy)})`;
  const type = parse(`type T { f: Int ${text} }`, { noLocation: true }).definitions[0] as ObjectTypeDefinitionNode;
  return type.fields![0].directives![0];
}

function rootTypes(schema: GraphQLSchema) {
  return [schema.getQueryType(), schema.getMutationType()].filter((t) => t !== null && t !== undefined);
}

/** Scopes named by the upstream's policies, in its SDL or in the config: they join the catalog. */
export function scopesUsedBy(schema: GraphQLSchema): Set<string> {
  const used = new Set<string>();
  const collect = (node: Parameters<typeof getDirective>[1]) => {
    for (const use of getDirective(schema, node, 'requiresScopes') ?? []) for (const all of use.scopes as string[][]) for (const s of all) used.add(s);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    collect(type);
    if (isObjectType(type) || isInterfaceType(type)) for (const field of Object.values(type.getFields())) collect(field);
  }
  return used;
}

/**
 * Puts the config's policies onto the upstream's schema as Keygate's guard directives (a config
 * policy replaces a guard the SDL gave the same field), then checks default deny: every root
 * field must end up with exactly one guard. Throws one line naming every problem field.
 */
export function applyUpstreamPolicies(schema: GraphQLSchema, upstream: UpstreamConfig): GraphQLSchema {
  const where = `upstream "${upstream.name}"`;
  for (const coordinate of Object.keys(upstream.policies)) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName);
    if (!type || !(isObjectType(type) || isInterfaceType(type)) || !type.getFields()[fieldName]) {
      throw new GatewayConfigError(`${where}: policies.${coordinate} names a field that does not exist in its schema`);
    }
  }
  const guarded = mapSchema(schema, {
    [MapperKind.COMPOSITE_FIELD]: (field: GraphQLFieldConfig<unknown, unknown>, fieldName, typeName) => {
      const policy = upstream.policies[`${typeName}.${fieldName}`];
      if (policy === undefined) return field;
      const astNode: FieldDefinitionNode = field.astNode ?? {
        kind: Kind.FIELD_DEFINITION,
        name: { kind: Kind.NAME, value: fieldName },
        type: parseType(String(field.type), { noLocation: true }),
      };
      const kept = (astNode.directives ?? []).filter((d) => !GUARD_NAMES.includes(d.name.value));
      // Guards in extensions would be read as well as the AST's: the AST is the one source.
      const { directives: _ignored, ...extensions } = (field.extensions ?? {}) as Record<string, unknown>;
      return { ...field, extensions, astNode: { ...astNode, directives: [...kept, directiveFor(policy)] } };
    },
  });
  const unguarded: string[] = [];
  const doubled: string[] = [];
  for (const root of rootTypes(guarded)) {
    for (const field of Object.values(root.getFields())) {
      const count = GUARD_NAMES.reduce((n, name) => n + (getDirective(guarded, field, name)?.length ?? 0), 0);
      if (count === 0) unguarded.push(`${root.name}.${field.name}`);
      if (count > 1) doubled.push(`${root.name}.${field.name}`);
    }
  }
  if (unguarded.length) {
    throw new GatewayConfigError(
      `${where}: no policy for ${unguarded.join(', ')} (default deny: give each a policy in the config or @public/@authenticated/@requiresScopes in its SDL)`,
    );
  }
  if (doubled.length) throw new GatewayConfigError(`${where}: ${doubled.join(', ')} carry more than one of @public, @authenticated, @requiresScopes`);
  return guarded;
}
