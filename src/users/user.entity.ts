import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { UserRole } from '../identity/user-role';
import type { LimitSpec, RefillSpec } from '../limits/limit-spec';

@ObjectType({ simpleResolvers: true, description: 'A person who logs in and owns client keys.' })
@Entity({ name: 'users' })
export class User {
  @Field(() => ID, { description: 'Unique id of the user.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Sign-in email, unique.' })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** bcrypt hash; never exposed through GraphQL. */
  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash: string;

  @Field(() => UserRole, { description: 'What the user may do: admin (every scope) or member.' })
  @Column({ type: 'varchar', length: 16 })
  role: UserRole;

  /** Bumped by a password change or "log out everywhere": access tokens issued under an older value are refused. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  /** Limits shared by all of the user's keys (a team's or a customer's plan); shown as `limits` (user-budget.resolver.ts). */
  @Column({ name: 'limits', type: 'jsonb', default: () => "'[]'::jsonb" })
  namedLimits: LimitSpec[];

  /** Credits left as last written (null: no quota); pending debits are a second late. */
  @Column({ name: 'credits_remaining', type: 'bigint', nullable: true })
  creditsRemaining: string | null;

  @Column({ name: 'credits_refill', type: 'jsonb', nullable: true })
  creditsRefill: RefillSpec | null;

  @Column({ name: 'credits_refilled_at', type: 'timestamptz', nullable: true })
  creditsRefilledAt: Date | null;

  @Field({ description: 'When the user was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field({ description: 'When the user last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
