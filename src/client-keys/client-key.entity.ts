import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { User } from '../users/user.entity';
import type { LimitSpec, RefillSpec } from '../limits/limit-spec';
import { ClientKeyStatus } from './client-key-status';

@ObjectType({ simpleResolvers: true, description: 'A service-to-service credential. The secret itself is never stored or shown again after creation.' })
@Entity({ name: 'client_keys' })
export class ClientKey {
  @Field(() => ID, { description: 'Unique id of the key (stays the same across rotations).' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The owner: the user who created the key (or whose key created it).' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Field({ description: 'A name for people: what or who uses the key.' })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true, description: 'Free text about the key.' })
  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** SHA-256 of the current secret. */
  @Column({ name: 'key_hash', type: 'bytea' })
  keyHash: Buffer;

  @Field({ description: 'The first characters of the key, to recognise it in listings.' })
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix: string;

  /** SHA-256 of the secret replaced by the last rotation, honoured until previousKeyExpiresAt. */
  @Column({ name: 'previous_key_hash', type: 'bytea', nullable: true })
  previousKeyHash: Buffer | null;

  @Column({ name: 'previous_key_expires_at', type: 'timestamptz', nullable: true })
  previousKeyExpiresAt: Date | null;

  @Field(() => [String], { description: 'What the key may do: scopes from the catalog, all held by its creator.' })
  @Column({ type: 'text', array: true })
  scopes: string[];

  @Field(() => Int, { description: 'Requests allowed per key in each fixed one-minute window.' })
  @Column({ name: 'rate_limit_per_minute', type: 'integer', default: 60 })
  rateLimitPerMinute: number;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null if it does not expire.' })
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while it is not.' })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the key was revoked, as given to revokeClientKey.' })
  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason: string | null;

  @Field(() => [String], { nullable: true, description: 'IPv4/IPv6 CIDR ranges the key may be used from; empty means anywhere.' })
  @Column({ name: 'allowed_cidrs', type: 'text', array: true, default: () => "'{}'" })
  allowedCidrs: string[];

  @Field(() => Date, { nullable: true, description: 'Recorded a few seconds late: uses are coalesced in memory.' })
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Field({ description: 'When the key was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field({ description: 'When the key last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => ID, {
    nullable: true,
    description:
      'The key that minted this one (null when a user created it). If that key is deleted, its own parent (when it has one) takes its place, so a cascade from any ancestor still reaches this key.',
  })
  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  /** Named limits besides `default` (rateLimitPerMinute); shown whole as `limits` (client-key-budget.resolver.ts). */
  @Column({ name: 'limits', type: 'jsonb', default: () => "'[]'::jsonb" })
  namedLimits: LimitSpec[];

  /** Credits left as last written (null: no quota); pending debits are a second late. */
  @Column({ name: 'credits_remaining', type: 'bigint', nullable: true })
  creditsRemaining: string | null;

  @Column({ name: 'credits_refill', type: 'jsonb', nullable: true })
  creditsRefill: RefillSpec | null;

  @Column({ name: 'credits_refilled_at', type: 'timestamptz', nullable: true })
  creditsRefilledAt: Date | null;

  /** The key's own cap on one operation's estimated cost; null: the server's MAX_OPERATION_COST. */
  @Column({ name: 'max_operation_cost', type: 'integer', nullable: true })
  maxOperationCostSetting: number | null;

  /** The owner, when a page read it in the same query (see KeyQueries.list); else loaded on demand. */
  owner?: User | null;

  @Field(() => ClientKeyStatus, { description: 'ACTIVE, REVOKED or EXPIRED, now.' })
  get status(): ClientKeyStatus {
    if (this.revokedAt) return ClientKeyStatus.REVOKED;
    if (this.expiresAt && this.expiresAt.getTime() <= Date.now()) return ClientKeyStatus.EXPIRED;
    return ClientKeyStatus.ACTIVE;
  }
}
