import {
  type ConstDirectiveNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  valueFromASTUntyped,
} from 'graphql';

/** What the config may say about one field (`costs:` in KEYGATE_CONFIG); each given key replaces the SDL's. */
export interface FieldCostOverride {
  weight?: number;
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

export interface ListSizeAnnotation {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
}

interface Annotated {
  astNode?: { readonly directives?: readonly ConstDirectiveNode[] } | null;
  extensionASTNodes?: ReadonlyArray<{ readonly directives?: readonly ConstDirectiveNode[] }>;
  extensions?: unknown;
}

/** A directive's arguments as plain values, from the AST (SDL, type-graphql, stitching keep it) or graphql-tools' `extensions.directives`. */
function directiveArgs(element: Annotated, name: string): Record<string, unknown> | undefined {
  for (const node of [element.astNode, ...(element.extensionASTNodes ?? [])]) {
    const found = node?.directives?.find((d) => d.name.value === name);
    if (found) return Object.fromEntries((found.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
  }
  const fromExtensions = (element.extensions as { directives?: Record<string, unknown> } | undefined)?.directives?.[name];
  const first = Array.isArray(fromExtensions) ? fromExtensions[0] : fromExtensions;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

/** A weight written as a number or, as IBM's spec and some SDLs do, a string holding one; anything else counts as none. */
export function parseWeight(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function size(value: unknown): number | undefined {
  const n = parseWeight(value);
  return n === undefined ? undefined : Math.max(0, Math.floor(n));
}

/** The @cost/@listSize facts of one schema, read once per element, with the config's overrides on top. */
export class CostAnnotations {
  private readonly typeWeights = new Map<GraphQLNamedType, number>();
  private readonly inputWeights = new Map<GraphQLArgument | GraphQLInputField, number>();
  private costly: Set<GraphQLNamedType> | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly overrides: ReadonlyMap<string, FieldCostOverride> = new Map(),
  ) {}

  fieldWeight(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): number {
    const override = this.overrides.get(`${parent.name}.${field.name}`);
    if (override?.weight !== undefined) return override.weight;
    return parseWeight(directiveArgs(field, 'cost')?.weight) ?? 0;
  }

  listSize(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): ListSizeAnnotation {
    const args = directiveArgs(field, 'listSize') ?? {};
    const override = this.overrides.get(`${parent.name}.${field.name}`) ?? {};
    return {
      assumedSize: 'assumedSize' in override ? size(override.assumedSize) : size(args.assumedSize),
      slicingArguments: override.slicingArguments ?? names(args.slicingArguments),
      sizedFields: override.sizedFields ?? names(args.sizedFields),
    };
  }

  /** The weight each value of the type adds; an interface or union weighs what its heaviest member does. */
  typeWeight(type: GraphQLNamedType): number {
    let weight = this.typeWeights.get(type);
    if (weight === undefined) {
      if (isAbstractType(type)) weight = Math.max(0, ...this.schema.getPossibleTypes(type).map((t) => this.typeWeight(t)));
      else if (isObjectType(type) || isScalarType(type) || isEnumType(type)) weight = parseWeight(directiveArgs(type, 'cost')?.weight) ?? 0;
      else weight = 0;
      this.typeWeights.set(type, weight);
    }
    return weight;
  }

  inputWeight(element: GraphQLArgument | GraphQLInputField): number {
    let weight = this.inputWeights.get(element);
    if (weight === undefined) this.inputWeights.set(element, (weight = parseWeight(directiveArgs(element, 'cost')?.weight) ?? 0));
    return weight;
  }

  /** Whether giving a value of this input type can cost anything (so arguments of other types are skipped at once). */
  inputHasCost(type: GraphQLInputType): boolean {
    const named = getNamedType(type);
    return isInputObjectType(named) && this.costlyInputs().has(named);
  }

  /** What a given input value adds: the weight of each input field it sets, all the way down (lists item by item). */
  inputValueCost(type: GraphQLInputType, value: unknown): number {
    if (value == null) return 0;
    if (isNonNullType(type)) return this.inputValueCost(type.ofType, value);
    if (isListType(type)) {
      if (!Array.isArray(value)) return this.inputValueCost(type.ofType, value);
      let sum = 0;
      for (const item of value) sum += this.inputValueCost(type.ofType, item);
      return sum;
    }
    if (!isInputObjectType(type) || typeof value !== 'object' || !this.inputHasCost(type)) return 0;
    let sum = 0;
    for (const field of Object.values(type.getFields())) {
      const given = (value as Record<string, unknown>)[field.name];
      if (given != null) sum += this.inputWeight(field) + this.inputValueCost(field.type, given);
    }
    return sum;
  }

  /** Input object types with a weight somewhere inside, found as a fixpoint (input types may refer to each other). */
  private costlyInputs(): Set<GraphQLNamedType> {
    if (this.costly) return this.costly;
    const inputs = Object.values(this.schema.getTypeMap()).filter(isInputObjectType);
    const costly = new Set<GraphQLNamedType>(inputs.filter((t) => Object.values(t.getFields()).some((f) => this.inputWeight(f) !== 0)));
    for (let grew = true; grew;) {
      grew = false;
      for (const t of inputs)
        if (!costly.has(t) && Object.values(t.getFields()).some((f) => costly.has(getNamedType(f.type)))) {
          costly.add(t);
          grew = true;
        }
    }
    return (this.costly = costly);
  }
}
