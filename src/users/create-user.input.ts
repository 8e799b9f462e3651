import { Field, InputType } from 'type-graphql';
import { UserRole } from '../identity/user-role';

@InputType()
export class CreateUserInput {
  @Field()
  email: string;

  @Field({ description: '8 characters to 72 bytes.' })
  password: string;

  @Field(() => UserRole, { defaultValue: UserRole.MEMBER })
  role: UserRole;
}
