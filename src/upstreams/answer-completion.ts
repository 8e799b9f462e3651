import {
  type FieldNode,
  type FragmentDefinitionNode,
  getDirectiveValues,
  GraphQLError,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';

/** One response key of a selection on one object type: the field and every node that asks for it. */
interface CollectedField {
  key: string;
  name: string;
  def: GraphQLField<unknown, unknown> | undefined;
  nodes: FieldNode[];
  /** Its own selections, collected per runtime type; shared by requests when no directive reads a variable. */
  below?: Map<string, CollectedField[]>;
}

type Path = { prev: Path | undefined; key: string | number } | undefined;

const MAX_SCALAR_DEPTH = 64;

/** Whether a JSON value nests deeper than MAX_SCALAR_DEPTH (walked with a work list, not recursion). */
function tooDeep(value: object): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_SCALAR_DEPTH) return true;
    for (const child of Object.values(item)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}

/** A field error on its way up to the nearest nullable field (graphql-js's null propagation). */
class Bubble {
  constructor(readonly error: GraphQLError) {}
}

function pathOf(path: Path): Array<string | number> {
  const keys: Array<string | number> = [];
  for (let p = path; p; p = p.prev) keys.unshift(p.key);
  return keys;
}

/**
 * Completes an upstream's answer for one planned operation the way graphql-js completes the
 * values resolvers return (which is what the stitched path does with a delegated answer): only
 * the fields the operation selects, each key as the client named it, values checked against the
 * upstream's schema (scalars and enums serialized, lists must be lists, objects of an abstract
 * type must name a possible type in `__typename`), a null where the schema forbids one turned
 * into an error that nulls the nearest nullable field. Built once per plan: the collected
 * selections are reused across requests unless an @skip/@include reads a variable.
 */
export class AnswerCompletion {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly rootField: CollectedField;
  private readonly variableDirectives: boolean;

  constructor(
    private readonly schema: GraphQLSchema,
    fragments: readonly FragmentDefinitionNode[],
    private readonly operation: OperationDefinitionNode,
  ) {
    for (const fragment of fragments) this.fragments.set(fragment.name.value, fragment);
    let variableDirectives = false;
    for (const definition of [operation, ...fragments]) {
      visit(definition, {
        Directive(node) {
          if (node.arguments?.some((arg) => arg.value.kind === Kind.VARIABLE)) variableDirectives = true;
        },
      });
    }
    this.variableDirectives = variableDirectives;
    this.rootField = {
      key: '',
      name: '',
      def: undefined,
      nodes: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '' }, selectionSet: operation.selectionSet }],
    };
  }

  complete(data: Record<string, unknown>, variables: Record<string, unknown>): { data: Record<string, unknown> | null; errors: GraphQLError[] } {
    const rootType = this.schema.getRootType(this.operation.operation)!;
    const errors: GraphQLError[] = [];
    // Selections that depend on the variables are collected afresh for each answer (and reused within it).
    const root = this.variableDirectives ? { ...this.rootField, below: undefined } : this.rootField;
    try {
      return { data: this.completeObject(rootType, root, undefined, data, variables, errors), errors };
    } catch (err) {
      if (!(err instanceof Bubble)) throw err;
      errors.push(err.error);
      return { data: null, errors };
    }
  }

  private completeObject(
    type: GraphQLObjectType,
    field: CollectedField,
    path: Path,
    source: unknown,
    variables: Record<string, unknown>,
    errors: GraphQLError[],
  ): Record<string, unknown> {
    // No prototype: a client may name a field `__proto__` (graphql-js builds its results the same way).
    const out = Object.create(null) as Record<string, unknown>;
    const own = source !== null && typeof source === 'object' ? (source as Record<string, unknown>) : undefined;
    for (const child of this.subfields(type, field, variables)) {
      if (child.name === '__typename') {
        out[child.key] = type.name;
        continue;
      }
      if (!child.def) continue;
      const raw = own && Object.hasOwn(own, child.key) ? own[child.key] : undefined;
      const at: Path = { prev: path, key: child.key };
      try {
        out[child.key] = this.completeValue(child.def.type, type, child, at, raw, variables, errors);
      } catch (err) {
        if (!(err instanceof Bubble) || isNonNullType(child.def.type)) throw err;
        errors.push(err.error);
        out[child.key] = null;
      }
    }
    return out;
  }

  private completeValue(
    returnType: GraphQLOutputType,
    parent: GraphQLObjectType,
    field: CollectedField,
    path: Path,
    value: unknown,
    variables: Record<string, unknown>,
    errors: GraphQLError[],
  ): unknown {
    const fail = (message: string) => new Bubble(new GraphQLError(message, { nodes: field.nodes, path: pathOf(path) }));
    if (isNonNullType(returnType)) {
      const completed = this.completeValue(returnType.ofType, parent, field, path, value, variables, errors);
      if (completed === null) throw fail(`Cannot return null for non-nullable field ${parent.name}.${field.name}.`);
      return completed;
    }
    if (value === null || value === undefined) return null;
    if (isListType(returnType)) {
      if (!Array.isArray(value)) throw fail(`Expected Iterable, but did not find one for field "${parent.name}.${field.name}".`);
      return value.map((item, index) => {
        const at: Path = { prev: path, key: index };
        try {
          return this.completeValue(returnType.ofType, parent, field, at, item, variables, errors);
        } catch (err) {
          if (!(err instanceof Bubble) || isNonNullType(returnType.ofType)) throw err;
          errors.push(err.error);
          return null;
        }
      });
    }
    if (isLeafType(returnType)) {
      // A custom scalar passes the upstream's JSON through: bounded, so writing the response cannot overflow the stack.
      if (typeof value === 'object' && tooDeep(value)) throw fail(`${returnType.name} value nested deeper than ${MAX_SCALAR_DEPTH} levels.`);
      let serialized: unknown;
      try {
        serialized = returnType.serialize(value);
      } catch (err) {
        throw fail((err as Error).message);
      }
      if (serialized === undefined) throw fail(`Expected \`${returnType.name}.serialize\` to return non-nullable value.`);
      return serialized;
    }
    if (isAbstractType(returnType)) {
      const name = typeof value === 'object' ? (value as { __typename?: unknown }).__typename : undefined;
      const runtime = typeof name === 'string' ? this.schema.getType(name) : undefined;
      if (!runtime || !isObjectType(runtime) || !this.schema.isSubType(returnType, runtime)) {
        throw fail(`Abstract type "${returnType.name}" must resolve to an Object type at runtime for field "${parent.name}.${field.name}".`);
      }
      return this.completeObject(runtime, field, path, value, variables, errors);
    }
    return this.completeObject(returnType, field, path, value, variables, errors);
  }

  /** The fields `field`'s selections ask of an object of `type`, merged by response key, in order. */
  private subfields(type: GraphQLObjectType, field: CollectedField, variables: Record<string, unknown>): CollectedField[] {
    const cached = field.below?.get(type.name);
    if (cached) return cached;
    const collected = new Map<string, CollectedField>();
    const visited = new Set<string>();
    for (const node of field.nodes) if (node.selectionSet) this.collect(type, node.selectionSet, variables, collected, visited);
    const fields = [...collected.values()];
    (field.below ??= new Map()).set(type.name, fields);
    return fields;
  }

  private collect(
    type: GraphQLObjectType,
    selectionSet: SelectionSetNode,
    variables: Record<string, unknown>,
    into: Map<string, CollectedField>,
    visited: Set<string>,
  ): void {
    for (const selection of selectionSet.selections) {
      if (!this.included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const existing = into.get(key);
        if (existing) existing.nodes.push(selection);
        else into.set(key, { key, name: selection.name.value, def: type.getFields()[selection.name.value], nodes: [selection] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(selection.typeCondition?.name.value, type)) this.collect(type, selection.selectionSet, variables, into, visited);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        if (visited.has(name) || !fragment || !this.applies(fragment.typeCondition.name.value, type)) continue;
        visited.add(name);
        this.collect(type, fragment.selectionSet, variables, into, visited);
      }
    }
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = this.schema.getType(condition);
    return conditionType !== undefined && isAbstractType(conditionType) && this.schema.isSubType(conditionType, type);
  }

  private included(node: { directives?: readonly unknown[] } & Parameters<typeof getDirectiveValues>[1], variables: Record<string, unknown>): boolean {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  }
}
