import { ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { AuditEvent } from './audit-event.entity';

@ObjectType({ simpleResolvers: true, description: 'A page of audit events, newest first.' })
export class AuditEventConnection extends Connection(AuditEvent) {}
