import { Field, ObjectType } from 'type-graphql';
import { ClientKey } from './client-key.entity';

@ObjectType({ simpleResolvers: true, description: 'A key and its secret. The secret is shown only in this response: store it now.' })
export class CreateClientKeyPayload {
  @Field(() => ClientKey, { description: "The key's settings and status (without the secret)." })
  clientKey: ClientKey;

  @Field({ description: 'The full secret, to send as `X-Client-Key` or `Authorization: Bearer`.' })
  key: string;
}

@ObjectType({ simpleResolvers: true, description: 'The rotated key (same id and settings) and its new secret, shown only here.' })
export class RotateClientKeyPayload extends CreateClientKeyPayload {}
