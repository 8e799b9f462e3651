import { registerEnumType } from 'type-graphql';

export enum PrincipalKind {
  USER = 'USER',
  CLIENT_KEY = 'CLIENT_KEY',
}

registerEnumType(PrincipalKind, { name: 'PrincipalKind', description: 'A logged-in user or a client key.' });
