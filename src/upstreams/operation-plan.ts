import {
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  isAbstractType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  print,
  type SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { usedFragments } from '../common/used-fragments';
import type { AccessRule } from '../directives/access-rule';
import { accessRulesOf } from '../directives/auth-directives-transform';

/** One root field of a planned operation, by the key it answers under. */
export interface PlannedRoot {
  key: string;
  /** `Query.products`: what usage counts. */
  coordinate: string;
  nonNull: boolean;
}

/**
 * An operation that one upstream can answer whole: every root field is that upstream's, so
 * the gateway can send the operation in one request instead of delegating field by field.
 * Whether a caller may take this path depends on `rules`: every field the operation can reach
 * must be allowed (otherwise stitching prunes the refused ones and answers FORBIDDEN).
 */
export interface OperationPlan {
  upstream: string;
  /**
   * The operation and the fragments it uses, printed from the parsed document: never the
   * client's text, which another GraphQL implementation could read differently (comments, line
   * ends), and with `__typename` wherever a type is abstract, so the answer can be checked.
   */
  query: string;
  operationName?: string;
  roots: readonly PlannedRoot[];
  /** The distinct rule lists of every field the operation can select, on every type it can be. */
  rules: ReadonlyArray<readonly AccessRule[]>;
  /** The client's operation and the fragments it uses, as written: what the answer is completed for. */
  operation: OperationDefinitionNode;
  fragments: readonly FragmentDefinitionNode[];
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

const EXECUTABLE_DIRECTIVES = new Set(['skip', 'include']);

function addRules(rules: Set<readonly AccessRule[]>, field: GraphQLField<unknown, unknown> | undefined): void {
  const found = accessRulesOf(field);
  if (found?.length) rules.add(found);
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
  const sent: DefinitionNode[] = [];
  for (const definition of [operation, ...fragments]) {
    const withTypes = visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Directive(node) {
          if (!EXECUTABLE_DIRECTIVES.has(node.name.value)) plannable = false;
        },
        SelectionSet(node: SelectionSetNode) {
          // The answer's objects of an abstract type must say which type they are, to be checked against the schema.
          const parent = typeInfo.getParentType();
          // (A client's own __typename counts only when nothing can leave it out: no alias, no @skip/@include.)
          const asked = node.selections.some((s) => s.kind === Kind.FIELD && !s.alias && !s.directives?.length && s.name.value === '__typename');
          if (!parent || !isAbstractType(parent) || asked) return undefined;
          return { ...node, selections: [...node.selections, TYPENAME] };
        },
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent || node.name.value.startsWith('__')) return;
          // Selected on an interface, the field is the interface's and, on each object, its type's: all of them count.
          if (isInterfaceType(parent)) addRules(rules, parent.getFields()[node.name.value]);
          const types = isAbstractType(parent) ? schema.getPossibleTypes(parent) : isObjectType(parent) ? [parent] : [];
          for (const type of types) addRules(rules, type.getFields()[node.name.value]);
        },
      }),
    );
    sent.push(withTypes);
  }
  if (!plannable) return null;
  const query = print({ kind: Kind.DOCUMENT, definitions: sent });
  return { upstream, query, operationName: operation.name?.value, roots, rules: [...rules], operation, fragments };
}
