import type { DelegationContext, Transform } from '@graphql-tools/delegate';
import type { ExecutionRequest } from '@graphql-tools/utils';
import {
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Principal } from '../identity/principal';
import { allowsRules } from '../directives/access-rule';
import { accessRulesOf } from '../directives/auth-directives-transform';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

function refusedOn(type: GraphQLObjectType, fieldName: string, principal: Principal | undefined): boolean {
  const rules = accessRulesOf(type.getFields()[fieldName]);
  return rules !== undefined && !allowsRules(rules, principal);
}

/**
 * Which of the types a field may be selected on would refuse it to the principal, by the rules
 * the auth directive transform put on the gateway schema's fields (the same ones it enforces).
 * On an interface the field resolves on each implementation: some may allow it, others not.
 */
function verdict(
  gateway: GraphQLSchema,
  parent: GraphQLCompositeType,
  fieldName: string,
  principal: Principal | undefined,
): 'allowed' | 'refused' | GraphQLObjectType[] {
  const type = gateway.getType(parent.name);
  if (!type) return 'allowed';
  if (isObjectType(type)) return refusedOn(type, fieldName, principal) ? 'refused' : 'allowed';
  if (!isInterfaceType(type)) return 'allowed';
  // The interface field's own rules bind every implementation, also those the gateway's schema does not list.
  const own = accessRulesOf(type.getFields()[fieldName]);
  if (own !== undefined && !allowsRules(own, principal)) return 'refused';
  const possible = gateway.getPossibleTypes(type);
  const allowed = possible.filter((t) => !refusedOn(t, fieldName, principal));
  if (allowed.length === possible.length) return 'allowed';
  return allowed.length === 0 ? 'refused' : allowed;
}

/** `field` asked only where the object is one of `types`: `... { ... on A { field } ... on B { field } }`. */
function onlyOn(types: GraphQLObjectType[], field: FieldNode): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: types.map((t) => ({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: t.name } },
        selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
      })),
    },
  };
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
              const found = verdict(gateway, parent, node.name.value, principal);
              if (found === 'allowed') return undefined;
              pruned = true;
              // Refused on some implementations only: asked of the others, so no refused one computes it.
              return found === 'refused' ? null : onlyOn(found, node);
            },
          },
          [Kind.SELECTION_SET]: {
            leave(node: SelectionSetNode) {
              return node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined;
            },
          },
          // An inline fragment left with nothing but our placeholder goes: graphql-tools drops
          // such fragments itself, which could leave the enclosing selection empty.
          [Kind.INLINE_FRAGMENT]: {
            leave(node: InlineFragmentNode) {
              const only = node.selectionSet.selections;
              return only.length === 1 && only[0] === TYPENAME ? null : undefined;
            },
          },
        }),
      );
      return pruned ? { ...request, document } : request;
    },
  } as Transform<Record<string, never>, { principal?: Principal }>;
}
