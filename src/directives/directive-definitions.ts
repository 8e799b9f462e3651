import { DirectiveLocation, GraphQLDirective, GraphQLList, GraphQLNonNull, GraphQLString } from 'graphql';

/** Apollo Router's authorization directives, with the same names and semantics. */
const GUARDED_LOCATIONS = [
  DirectiveLocation.FIELD_DEFINITION,
  DirectiveLocation.OBJECT,
  DirectiveLocation.INTERFACE,
  DirectiveLocation.SCALAR,
  DirectiveLocation.ENUM,
];

export const authenticatedDirective = new GraphQLDirective({
  name: 'authenticated',
  description: 'Requires an authenticated caller: a user session or a client key.',
  locations: GUARDED_LOCATIONS,
});

export const requiresScopesDirective = new GraphQLDirective({
  name: 'requiresScopes',
  description: 'Requires the caller to hold every scope of at least one of the inner lists (OR of ANDs).',
  locations: GUARDED_LOCATIONS,
  args: {
    scopes: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))))),
    },
  },
});

export const publicDirective = new GraphQLDirective({
  name: 'public',
  description: 'Open to anonymous callers. Root fields must say so explicitly: the schema denies by default.',
  locations: [DirectiveLocation.FIELD_DEFINITION],
});

export const AUTH_DIRECTIVES = [authenticatedDirective, requiresScopesDirective, publicDirective];
