import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLString } from 'graphql';

/** IBM's GraphQL Cost Directive, with the Int weight Apollo Router and Hive use (an upstream SDL may still write a string). */
export const costDirective = new GraphQLDirective({
  name: 'cost',
  description: 'Adds this weight to the cost of every use of the field, argument or input field, or of every value of the type.',
  locations: [
    DirectiveLocation.ARGUMENT_DEFINITION,
    DirectiveLocation.ENUM,
    DirectiveLocation.FIELD_DEFINITION,
    DirectiveLocation.INPUT_FIELD_DEFINITION,
    DirectiveLocation.OBJECT,
    DirectiveLocation.SCALAR,
  ],
  args: { weight: { type: new GraphQLNonNull(GraphQLInt) } },
});

const names = new GraphQLList(new GraphQLNonNull(GraphQLString));

export const listSizeDirective = new GraphQLDirective({
  name: 'listSize',
  description:
    'How long the list may be: the largest slicing argument given (a default counts), else assumedSize. With sizedFields the size applies to those fields of the result (connections).',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    assumedSize: { type: GraphQLInt },
    slicingArguments: { type: names },
    sizedFields: { type: names },
    requireOneSlicingArgument: { type: GraphQLBoolean, defaultValue: true },
  },
});

export const COST_DIRECTIVES = [costDirective, listSizeDirective];
