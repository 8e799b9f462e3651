import { ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { ClientKey } from './client-key.entity';

@ObjectType({ simpleResolvers: true, description: 'A page of client keys, newest first.' })
export class ClientKeyConnection extends Connection(ClientKey) {}
