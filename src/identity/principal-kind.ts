import { registerEnumType } from 'type-graphql';

export enum PrincipalKind {
  USER = 'USER',
  CLIENT_KEY = 'CLIENT_KEY',
}

registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'A logged-in user or a client key.',
  valuesConfig: {
    USER: { description: 'A user session (access token from login).' },
    CLIENT_KEY: { description: 'A client key (X-Client-Key or Authorization: Bearer).' },
  },
});
