import { Field, InputType } from 'type-graphql';
import { UserRole } from '../identity/user-role';

@InputType({ description: 'Only the fields given change. A new password ends the user\'s sessions.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  password?: string | null;

  @Field(() => UserRole, { nullable: true })
  role?: UserRole | null;
}
