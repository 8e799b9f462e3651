import { ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { User } from './user.entity';

@ObjectType({ simpleResolvers: true, description: 'A page of users, newest first.' })
export class UserConnection extends Connection(User) {}
