import { ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { ClientKey } from './client-key.entity';

@ObjectType({ simpleResolvers: true })
export class ClientKeyConnection extends Connection(ClientKey) {}
