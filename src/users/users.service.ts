import { type DataSource, type EntityManager, Not } from 'typeorm';
import type { PasswordHasher } from './passwords';
import { isUniqueViolation } from '../common/db-errors';
import { keysetPage } from '../common/keyset';
import type { Page, PageRequest } from '../common/pagination';
import { checkPassword, checkUuid, normaliseEmail } from '../common/validation';
import type { Actor } from '../identity/actor';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/app-errors';
import { currentAuthority } from './current-authority';
import { checkHoldsRole } from './role-ceiling';
import { applyUserBudget, type UserBudgetData } from './user-budget-terms';
import { transactionQuery } from './transaction-query';
import { User } from './user.entity';
import { UserRole } from '../identity/user-role';
import type { RoleScopes } from '../identity/role-scopes';

export interface CreateUserData {
  email: string;
  password: string;
  role?: UserRole;
}

export interface UpdateUserData extends UserBudgetData {
  email?: string | null;
  password?: string | null;
  role?: UserRole | null;
}

/** Hook for recording user changes in the same transaction (the audit trail). */
export type UserChangeRecorder = (
  em: EntityManager,
  actor: Actor,
  action: 'user.created' | 'user.updated' | 'user.deleted',
  user: User,
  changes: Record<string, unknown>,
) => Promise<void>;

/** Runs inside the change's transaction, so other instances hear of it exactly on commit (PostgreSQL NOTIFY). */
export type UserStatePublisher = (em: EntityManager, userId: string) => Promise<void>;

/** Told after a commit that a user's role, existence or sessions changed, so cached authority is dropped at once. */
export type UserStateListener = (userId: string) => void;

export class UsersService {
  private readonly listeners: UserStateListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly passwords: PasswordHasher,
    /** This app's roles and their scopes (KEYGATE_CONFIG may extend them). */
    private readonly roles: RoleScopes,
    private readonly record: UserChangeRecorder = async () => undefined,
    private readonly publishState: UserStatePublisher = async () => undefined,
  ) {}

  onStateChange(listener: UserStateListener): void {
    this.listeners.push(listener);
  }

  /** Told after a commit that a user's credits were set, so live balances are reloaded. */
  onCreditsChange(listener: UserStateListener): void {
    this.creditListeners.push(listener);
  }

  private readonly creditListeners: UserStateListener[] = [];

  private stateChanged(userId: string): void {
    for (const listener of this.listeners) listener(userId);
  }

  async getById(id: string): Promise<User> {
    const user = await this.db.getRepository(User).findOneBy({ id: checkUuid(id) });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.db.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email: email.trim() }).getOne();
  }

  async list(page: PageRequest): Promise<Page<User>> {
    return keysetPage(this.db.getRepository(User).createQueryBuilder('u'), page);
  }

  async create(actor: Actor, data: CreateUserData): Promise<User> {
    const email = normaliseEmail(data.email);
    const passwordHash = await this.passwords.hash(checkPassword(data.password));
    const role = data.role ?? UserRole.MEMBER;
    return this.db.transaction(async (em) => {
      checkHoldsRole(await this.assertActorMayWrite(em, actor), role, this.roles);
      const user = await this.insertUser(em, { email, passwordHash, role });
      await this.record(em, actor, 'user.created', user, { email, role });
      return user;
    });
  }

  async update(actor: Actor, id: string, data: UpdateUserData): Promise<User> {
    const userId = checkUuid(id);
    const email = data.email != null ? normaliseEmail(data.email) : undefined;
    const passwordHash = data.password != null ? await this.passwords.hash(checkPassword(data.password)) : undefined;
    let authorityChanged = false;
    const saved = await this.db.transaction(async (em) => {
      const scopes = await this.assertActorMayWrite(em, actor);
      const user = await em.getRepository(User).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('User');
      checkHoldsRole(scopes, user.role, this.roles);
      if (data.role != null) checkHoldsRole(scopes, data.role, this.roles);
      const changes: Record<string, unknown> = {};
      if (email !== undefined && email !== user.email) changes.email = { from: user.email, to: (user.email = email) };
      if (data.role != null && data.role !== user.role) {
        if (user.role === UserRole.ADMIN) await this.assertAnotherAdmin(em, user.id, 'role');
        changes.role = { from: user.role, to: (user.role = data.role) };
      }
      if (passwordHash !== undefined) {
        user.passwordHash = passwordHash;
        // Access tokens issued before the change stop working too (they carry the old version).
        user.tokenVersion += 1;
        changes.password = 'changed';
        // A new password ends every session opened with the old one.
        await transactionQuery(em, 'UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
      }
      // Limits and credits bind every key of the user: only tightened by the user themselves or their keys.
      Object.assign(changes, applyUserBudget(user, data, actor.principal.userId === user.id || actor.principal.kind === 'CLIENT_KEY'));
      if (Object.keys(changes).length === 0) return user;
      authorityChanged = changes.role !== undefined || changes.password !== undefined || changes.limits !== undefined || changes.credits !== undefined;
      const saved = await this.saveUser(em, user);
      await this.record(em, actor, 'user.updated', saved, changes);
      if (authorityChanged) await this.publishState(em, saved.id);
      return saved;
    });
    if (authorityChanged) this.stateChanged(saved.id);
    if (data.credits !== undefined) for (const listener of this.creditListeners) listener(saved.id);
    return saved;
  }

  async delete(actor: Actor, id: string): Promise<User> {
    const userId = checkUuid(id);
    const deleted = await this.db.transaction(async (em) => {
      const user = await em.getRepository(User).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('User');
      if (user.role === UserRole.ADMIN) await this.assertAnotherAdmin(em, user.id, 'id');
      // After the locks: two admins deleting each other at once cannot both succeed.
      checkHoldsRole(await this.assertActorMayWrite(em, actor), user.role, this.roles);
      await this.record(em, actor, 'user.deleted', user, { email: user.email, role: user.role });
      await em.getRepository(User).delete({ id: user.id });
      await this.publishState(em, user.id);
      return user;
    });
    this.stateChanged(deleted.id);
    return deleted;
  }

  /** ADMIN_EMAIL/ADMIN_PASSWORD are the truth at start-up: create the admin, or restore its role and password. */
  async ensureAdmin(emailInput: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
    const email = normaliseEmail(emailInput, 'ADMIN_EMAIL');
    checkPassword(password, 'ADMIN_PASSWORD');
    const existing = await this.findByEmail(email);
    if (!existing) {
      await this.insertUser(this.db.manager, { email, passwordHash: await this.passwords.hash(password), role: UserRole.ADMIN });
      return 'created';
    }
    const passwordMatches = await this.passwords.verify(password, existing.passwordHash);
    if (passwordMatches && existing.role === UserRole.ADMIN) return 'unchanged';
    existing.role = UserRole.ADMIN;
    if (!passwordMatches) {
      existing.passwordHash = await this.passwords.hash(password);
      existing.tokenVersion += 1;
    }
    await this.db.transaction(async (em) => {
      await em.getRepository(User).save(existing);
      await this.publishState(em, existing.id);
    });
    this.stateChanged(existing.id);
    return 'updated';
  }

  /** An empty database with no admin settings gets an admin with a generated password. */
  async bootstrapAdminIfEmpty(email: string, password: string): Promise<boolean> {
    if ((await this.db.getRepository(User).count()) > 0) return false;
    await this.insertUser(this.db.manager, { email, passwordHash: await this.passwords.hash(password), role: UserRole.ADMIN });
    return true;
  }

  private async insertUser(em: EntityManager, data: Pick<User, 'email' | 'passwordHash' | 'role'>): Promise<User> {
    return this.saveUser(em, em.getRepository(User).create(data));
  }

  private async saveUser(em: EntityManager, user: User): Promise<User> {
    try {
      return await em.getRepository(User).save(user);
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) throw new BadUserInputError('email', 'is already taken');
      throw err;
    }
  }

  /**
   * The request was let through on cached authority; a change commits only if the actor still
   * holds write:users now (no row lock: the check must not order locks against the target's).
   * Returns the actor's current scopes: the ceiling for the roles it may grant or act on.
   */
  private async assertActorMayWrite(em: EntityManager, actor: Actor): Promise<ReadonlySet<string>> {
    const authority = await currentAuthority(em, actor.principal, this.roles);
    if (!authority.scopes.has('write:users')) throw new ForbiddenError([['write:users']]);
    return authority.scopes;
  }

  private async assertAnotherAdmin(em: EntityManager, userId: string, field: string): Promise<void> {
    // Serialises concurrent demotions, which could otherwise each see the other admin.
    await transactionQuery(em, 'SELECT pg_advisory_xact_lock(hashtext($1))', ['keygate:admins']);
    const others = await em.getRepository(User).count({ where: { role: UserRole.ADMIN, id: Not(userId) } });
    if (others === 0) throw new BadUserInputError(field, 'would leave Keygate without an admin');
  }
}
