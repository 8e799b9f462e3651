import { type GraphQLSchema, isInterfaceType, isListType, isNonNullType, isObjectType, type GraphQLOutputType } from 'graphql';
import { CostAnnotations, type FieldCostOverride } from '../cost/cost-annotations';
import { GatewayConfigError, type UpstreamConfig } from './gateway-config';

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * One upstream's cost overrides for the stitched schema's cost model: its `costs:` (each must
 * name a field of its schema), and, when it has its own defaultListSize, that size for each of
 * its lists that neither its SDL nor `costs` sizes. Throws one line naming the first bad entry.
 */
export function upstreamCostOverrides(schema: GraphQLSchema, upstream: UpstreamConfig): Map<string, FieldCostOverride> {
  const overrides = new Map<string, FieldCostOverride>();
  for (const [coordinate, cost] of Object.entries(upstream.costs)) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName);
    const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[fieldName] : undefined;
    if (!field) throw new GatewayConfigError(`upstream "${upstream.name}": costs.${coordinate} names a field that does not exist in its schema`);
    for (const name of cost.slicingArguments ?? [])
      if (!field.args.some((a) => a.name === name))
        throw new GatewayConfigError(`upstream "${upstream.name}": costs.${coordinate}.slicingArguments names ${name}, which ${coordinate} does not take`);
    overrides.set(coordinate, cost);
  }
  const size = upstream.defaultListSize;
  if (size === undefined) return overrides;
  const annotations = new CostAnnotations(schema, overrides);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isList(field.type) || annotations.listSize(type, field).assumedSize !== undefined) continue;
      const coordinate = `${type.name}.${field.name}`;
      overrides.set(coordinate, { ...overrides.get(coordinate), assumedSize: size });
    }
  }
  return overrides;
}
