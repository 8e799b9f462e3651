import {
  defaultFieldResolver,
  getNamedType,
  type GraphQLFieldConfig,
  type GraphQLNamedType,
  type GraphQLOutputType,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import type { Principal } from '../identity/principal';
import { type AccessRule, enforceRules } from './access-rule';
import { describeAccess, withAccess } from './describe-access';

/** Field extension holding the rules this transform enforces on the field. */
export const ACCESS_RULES_EXTENSION = 'keygateAccessRules';

/** The rules this transform put on a field of its schema (undefined: the field demands nothing). */
export function accessRulesOf(field: { extensions?: Readonly<Record<string, unknown>> | null } | undefined): readonly AccessRule[] | undefined {
  return field?.extensions?.[ACCESS_RULES_EXTENSION] as readonly AccessRule[] | undefined;
}

const GUARD_NAMES = ['public', 'authenticated', 'requiresScopes'] as const;

function rulesOf(schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]): { rules: AccessRule[]; guards: string[] } {
  const rules: AccessRule[] = [];
  const guards: string[] = [];
  for (const name of GUARD_NAMES) {
    const uses = getDirective(schema, node, name);
    if (!uses) continue;
    for (const args of uses) {
      guards.push(name);
      if (name === 'authenticated') rules.push({ kind: 'authenticated' });
      if (name === 'requiresScopes') rules.push({ kind: 'scopes', anyOf: args.scopes as string[][] });
    }
  }
  return { rules, guards };
}

function typeRules(schema: GraphQLSchema, type: GraphQLNamedType): AccessRule[] {
  return rulesOf(schema, type).rules;
}

/**
 * What the interfaces a type implements demand of one of its fields: the interface field's own
 * guards and the interface type's. A policy on `Node.secret` binds every `secret` that answers
 * for a Node, or selecting it on the concrete type would bypass it.
 */
function interfaceRules(schema: GraphQLSchema, parent: GraphQLNamedType | null | undefined, fieldName: string): AccessRule[] {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return [];
  const rules: AccessRule[] = [];
  for (const iface of parent.getInterfaces()) {
    const field = iface.getFields()[fieldName];
    if (!field) continue;
    rules.push(...rulesOf(schema, field).rules, ...typeRules(schema, iface));
  }
  return rules;
}

/**
 * Enforces @authenticated / @requiresScopes / @public on every field, the way Apollo Router
 * does: a field's own directive, its parent type's and its return type's all apply, and so do
 * those of the same field on every interface the parent implements.
 * Root fields without exactly one of the three make the build fail (default deny).
 */
export function applyAuthDirectives(schema: GraphQLSchema): GraphQLSchema {
  const rootTypeNames = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig: GraphQLFieldConfig<unknown, { principal?: Principal }>, fieldName, typeName) => {
      const own = rulesOf(schema, fieldConfig);
      if (rootTypeNames.has(typeName) && own.guards.length !== 1) {
        const found = own.guards.length === 0 ? 'none' : own.guards.map((g) => '@' + g).join(', ');
        throw new Error(`Schema refused: ${typeName}.${fieldName} needs exactly one of @public, @authenticated or @requiresScopes (found ${found})`);
      }
      const rules = fieldRules(schema, own.rules, typeName, fieldName, fieldConfig);
      // Docs say what the field requires, from the very rules enforced below.
      const description = withAccess(fieldConfig.description, describeAccess(rules, own.guards.includes('public')));
      if (rules.length === 0) return { ...fieldConfig, description };
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        description,
        // Read back by the gateway to leave refused fields out of what it asks an upstream.
        extensions: { ...fieldConfig.extensions, [ACCESS_RULES_EXTENSION]: rules },
        resolve(source, args, context, info) {
          enforceRules(rules, context.principal);
          return resolve(source, args, context, info);
        },
      };
    },
    // Interface fields never resolve (their implementations do), but the gateway reads their rules:
    // an interface whose implementations it does not know still guards what it asks an upstream for.
    [MapperKind.INTERFACE_FIELD]: (fieldConfig: GraphQLFieldConfig<unknown, unknown>, fieldName, typeName) => {
      const rules = fieldRules(schema, rulesOf(schema, fieldConfig).rules, typeName, fieldName, fieldConfig);
      return rules.length === 0 ? fieldConfig : { ...fieldConfig, extensions: { ...fieldConfig.extensions, [ACCESS_RULES_EXTENSION]: rules } };
    },
  });
}

/** A field's own rules, its parent type's, those of the same field on the parent's interfaces, and its return type's. */
function fieldRules(schema: GraphQLSchema, own: AccessRule[], typeName: string, fieldName: string, fieldConfig: { type: GraphQLOutputType }): AccessRule[] {
  const parent = schema.getType(typeName);
  return [
    ...own,
    ...(parent && (isObjectType(parent) || isInterfaceType(parent)) ? typeRules(schema, parent) : []),
    ...interfaceRules(schema, parent, fieldName),
    ...typeRules(schema, getNamedType(fieldConfig.type)),
  ];
}
