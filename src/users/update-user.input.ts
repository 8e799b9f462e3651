import { Field, InputType } from 'type-graphql';
import { UserRole } from '../identity/user-role';
import { KeyCreditsInput } from '../limits/key-credits.input';
import { KeyLimitInput } from '../limits/key-limit.input';

@InputType({ description: "Only the fields given change. A new password ends the user's sessions." })
export class UpdateUserInput {
  @Field(() => String, { nullable: true, description: 'New sign-in email; must not be taken.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "8 characters to 72 bytes; ends the user's sessions." })
  password?: string | null;

  @Field(() => UserRole, { nullable: true, description: 'New role; a demotion takes effect at once.' })
  role?: UserRole | null;

  @Field(() => [KeyLimitInput], { nullable: true, description: "Limits shared by all of the user's keys (replaces the list). A user cannot loosen their own." })
  limits?: KeyLimitInput[] | null;

  @Field(() => KeyCreditsInput, { nullable: true, description: "Credits shared by all of the user's keys; null removes them. A user cannot add to their own." })
  credits?: KeyCreditsInput | null;
}
