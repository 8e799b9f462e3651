import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  isAbstractType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { AccessRule } from '../directives/access-rule';
import { ACCESS_RULES_EXTENSION } from '../directives/auth-directives-transform';

/** One root field of a planned operation, by the key it answers under. */
export interface PlannedRoot {
  key: string;
  /** `Query.products`: what usage counts. */
  coordinate: string;
  nonNull: boolean;
}

/**
 * An operation that one upstream can answer whole: every root field is that upstream's, so
 * the gateway can send the operation as it is, in one request, instead of delegating field by
 * field. Whether a caller may take this path depends on `rules`: every field the operation
 * can reach must be allowed (otherwise stitching prunes the refused ones and answers FORBIDDEN).
 */
export interface OperationPlan {
  upstream: string;
  /** The operation and the fragments it uses, as GraphQL text. */
  query: string;
  operationName?: string;
  roots: readonly PlannedRoot[];
  /** The distinct rule lists of every field the operation can select, on every type it can be. */
  rules: ReadonlyArray<readonly AccessRule[]>;
}

const EXECUTABLE_DIRECTIVES = new Set(['skip', 'include']);

function rulesOf(field: GraphQLField<unknown, unknown> | undefined): readonly AccessRule[] | undefined {
  return field?.extensions?.[ACCESS_RULES_EXTENSION] as readonly AccessRule[] | undefined;
}

/** The fragments the operation spreads, transitively. */
function usedFragments(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const byName = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) byName.set(d.name.value, d);
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const fragment = byName.get(node.name.value);
        if (fragment && !used.has(node.name.value)) {
          used.set(node.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}

/**
 * The plan for `operation`, or null when it needs the stitched path: a root field of Keygate's
 * own or of two upstreams, a fragment or directive at the root (which root fields run depends on
 * the request), a directive the upstream may not know, or a subscription.
 * `upstreamOf` names the upstream that owns a root field coordinate.
 */
export function planOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  source: string | undefined,
  upstreamOf: (coordinate: string) => string | undefined,
): OperationPlan | null {
  if (operation.operation === 'subscription') return null;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return null;
  const rootName = operation.operation === 'query' ? 'Query' : 'Mutation';
  let upstream: string | undefined;
  const roots: PlannedRoot[] = [];
  const seen = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
    const coordinate = `${rootName}.${selection.name.value}`;
    const owner = upstreamOf(coordinate);
    if (!owner || (upstream !== undefined && owner !== upstream)) return null;
    upstream = owner;
    const key = selection.alias?.value ?? selection.name.value;
    if (seen.has(key)) continue;
    seen.add(key);
    const field = rootType.getFields()[selection.name.value];
    if (!field) return null;
    roots.push({ key, coordinate, nonNull: isNonNullType(field.type) });
  }
  if (!upstream) return null;

  const fragments = usedFragments(document, operation);
  const rules = new Set<readonly AccessRule[]>();
  let plannable = true;
  const typeInfo = new TypeInfo(schema);
  for (const definition of [operation, ...fragments]) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Directive(node) {
          if (!EXECUTABLE_DIRECTIVES.has(node.name.value)) plannable = false;
        },
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent || node.name.value.startsWith('__')) return;
          // Selected on an interface or a union, the field resolves on whichever type the object is: all of them count.
          const types = isAbstractType(parent) ? schema.getPossibleTypes(parent) : isObjectType(parent) ? [parent] : [];
          for (const type of types) {
            const found = rulesOf(type.getFields()[node.name.value]);
            if (found?.length) rules.add(found);
          }
        },
      }),
    );
  }
  if (!plannable) return null;
  const single = document.definitions.length === fragments.length + 1;
  // A document that holds just this operation and its fragments goes as the client wrote it (no printing).
  const query = single && source !== undefined ? source : print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });
  return { upstream, query, operationName: operation.name?.value, roots, rules: [...rules] };
}
