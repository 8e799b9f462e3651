import { Field, InputType } from 'type-graphql';
import { UserRole } from './user-role';

@InputType({ description: 'A new user who can log in at once.' })
export class CreateUserInput {
  @Field({ description: 'Sign-in email; must not be taken.' })
  email: string;

  @Field({ description: '8 characters to 72 bytes.' })
  password: string;

  @Field(() => UserRole, { defaultValue: UserRole.MEMBER, description: 'member (default) or admin.' })
  role: UserRole;
}
