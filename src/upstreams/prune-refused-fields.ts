import type { DelegationContext, Transform } from '@graphql-tools/delegate';
import type { ExecutionRequest } from '@graphql-tools/utils';
import {
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Principal } from '../identity/principal';
import { type AccessRule, allowsRules } from '../directives/access-rule';
import { ACCESS_RULES_EXTENSION } from '../directives/auth-directives-transform';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

function rulesOf(field: GraphQLField<unknown, unknown> | undefined): readonly AccessRule[] | undefined {
  return field?.extensions?.[ACCESS_RULES_EXTENSION] as readonly AccessRule[] | undefined;
}

/**
 * Whether the gateway would refuse this field to the principal. The rules are those the auth
 * directive transform put on the gateway schema's fields (the same ones it enforces); on an
 * interface, a field is refused when every type that implements it refuses it.
 */
function refused(gateway: GraphQLSchema, parent: GraphQLCompositeType, fieldName: string, principal: Principal | undefined): boolean {
  const type = gateway.getType(parent.name);
  if (!type) return false;
  if (isObjectType(type)) {
    const rules = rulesOf(type.getFields()[fieldName]);
    return rules !== undefined && !allowsRules(rules, principal);
  }
  if (isInterfaceType(type) && isAbstractType(type)) {
    const possible = gateway.getPossibleTypes(type);
    return possible.length > 0 && possible.every((t) => {
      const rules = rulesOf(t.getFields()[fieldName]);
      return rules !== undefined && !allowsRules(rules, principal);
    });
  }
  return false;
}

/**
 * A delegation transform that removes from the request sent to an upstream every field the
 * caller may not read, so the upstream never computes it. The gateway still resolves those
 * fields, and its directive wrapper answers them with FORBIDDEN. A selection left empty keeps
 * `__typename`, so the surrounding object (and the other fields' answers) keep their shape.
 */
export function pruneRefusedFields(): Transform<Record<string, never>, { principal?: Principal }> {
  // Cast below: @graphql-tools/delegate and the root package resolve different copies of utils' ExecutionRequest.
  return {
    transformRequest(request: ExecutionRequest, delegation: DelegationContext<{ principal?: Principal }>): ExecutionRequest {
      const gateway = delegation.info?.schema;
      if (!gateway) return request;
      const principal = delegation.context?.principal;
      const typeInfo = new TypeInfo(delegation.targetSchema);
      let pruned = false;
      const document = visit(
        request.document,
        visitWithTypeInfo(typeInfo, {
          [Kind.FIELD]: {
            enter(node) {
              const parent = typeInfo.getParentType();
              if (!parent || node.name.value.startsWith('__')) return undefined;
              if (!refused(gateway, parent, node.name.value, principal)) return undefined;
              pruned = true;
              return null;
            },
          },
          [Kind.SELECTION_SET]: {
            leave(node: SelectionSetNode) {
              return node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined;
            },
          },
        }),
      );
      return pruned ? { ...request, document } : request;
    },
  } as Transform<Record<string, never>, { principal?: Principal }>;
}
