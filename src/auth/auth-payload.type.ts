import { Field, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity';

@ObjectType({ simpleResolvers: true, description: 'A new session: send `Authorization: Bearer <accessToken>`; renew with `refreshToken`.' })
export class AuthPayload {
  @Field({ description: 'Short-lived token: send it as `Authorization: Bearer <accessToken>`.' })
  accessToken: string;

  @Field({ description: 'Single use: each refresh returns a new one, and reusing an old one ends the session.' })
  refreshToken: string;

  @Field(() => Int, { description: 'Seconds until accessToken expires.' })
  expiresIn: number;

  @Field(() => User, { description: 'The logged-in user.' })
  user: User;
}
