import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { UserRole } from './user-role';

@ObjectType({ simpleResolvers: true, description: 'A person who logs in and owns client keys.' })
@Entity({ name: 'users' })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** bcrypt hash; never exposed through GraphQL. */
  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash: string;

  @Field(() => UserRole)
  @Column({ type: 'varchar', length: 16 })
  role: UserRole;

  /** Bumped by a password change or "log out everywhere": access tokens issued under an older value are refused. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
