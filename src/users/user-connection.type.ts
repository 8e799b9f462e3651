import { ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { User } from './user.entity';

@ObjectType({ simpleResolvers: true })
export class UserConnection extends Connection(User) {}
