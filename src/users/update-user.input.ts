import { Field, InputType } from 'type-graphql';
import { UserRole } from '../identity/user-role';

@InputType({ description: "Only the fields given change. A new password ends the user's sessions." })
export class UpdateUserInput {
  @Field(() => String, { nullable: true, description: 'New sign-in email; must not be taken.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "8 characters to 72 bytes; ends the user's sessions." })
  password?: string | null;

  @Field(() => UserRole, { nullable: true, description: 'New role; a demotion takes effect at once.' })
  role?: UserRole | null;
}
