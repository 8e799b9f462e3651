import { registerEnumType } from 'type-graphql';

export enum UserRole {
  ADMIN = 'admin',
  MEMBER = 'member',
}

registerEnumType(UserRole, {
  name: 'UserRole',
  description: 'admin holds every scope; member manages its own client keys',
  valuesConfig: {
    ADMIN: { description: "Holds every scope and sees every user's keys." },
    MEMBER: { description: 'Manages its own client keys and reads their audit events.' },
  },
});
