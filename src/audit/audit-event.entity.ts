import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PrincipalKind } from '../identity/principal-kind';

@ObjectType({ simpleResolvers: true, description: 'Who did what to which key or user, when and from where. Kept after the key is deleted.' })
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @Field(() => ID, { description: 'Unique id of the event.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'client_key.created|updated|rotated|revoked|deleted, user.created|updated|deleted' })
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Field(() => PrincipalKind, { description: 'Whether a user or a client key made the change.' })
  @Column({ name: 'actor_kind', type: 'varchar', length: 16 })
  actorKind: PrincipalKind;

  @Field(() => ID, { description: 'The user, or the client key, that made the change.' })
  @Column({ name: 'actor_id', type: 'uuid' })
  actorId: string;

  @Field(() => ID, { nullable: true, description: 'The client key concerned, if any (kept after the key is deleted).' })
  @Column({ name: 'client_key_id', type: 'uuid', nullable: true })
  clientKeyId: string | null;

  @Field(() => ID, { nullable: true, description: 'The user concerned: the key owner, or the user changed.' })
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Field(() => String, { nullable: true, description: 'Address of the client that made the change.' })
  // inet: PostgreSQL itself refuses anything that is not an address.
  @Column({ type: 'inet', nullable: true })
  ip: string | null;

  @Field(() => String, { nullable: true, description: 'User-Agent header of the request that made the change.' })
  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Field(() => GraphQLJSON, { description: 'The fields changed; never a secret.' })
  @Column({ type: 'jsonb' })
  changes: Record<string, unknown>;

  @Field({ description: 'When the change was made.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
