import type { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { RoleScopes } from '../identity/role-scopes';
import { ScopeCatalog } from '../scopes/scope-catalog';
import { AccessTokens } from '../auth/access-tokens';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { SessionStates } from '../auth/session-states';
import { PasswordHasher } from '../users/passwords';
import { ClientKeysService } from '../client-keys/client-keys.service';
import { KeyInvalidationBus } from '../client-keys/key-invalidation-bus';
import { KeyVerifier } from '../client-keys/key-verifier';
import { LastUsedTracker } from '../client-keys/last-used-tracker';
import type { Config } from '../config/config';
import { resolveJwtSecret } from '../config/jwt-secret';
import { connectionBudget } from '../database/connection-budget';
import { Authenticator } from '../auth/authenticator';
import type { Services } from '../identity/graphql-context';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';
import { BudgetStore } from '../budgets/budget-store';
import { BudgetAdmission } from '../execution/budget-admission';
import { BudgetPlans } from '../limits/budget-plans';
import { CreditsLedger } from '../limits/credits-ledger';
import { createRedis } from '../redis/redis-client';
import { createUsagePool } from '../usage/usage-pool';
import { UsageRecorder } from '../usage/usage-recorder';
import { UsageRetention } from '../usage/usage-retention';
import { UsageService } from '../usage/usage.service';
import { UserStates } from '../users/user-states';
import { UsersService } from '../users/users.service';

export interface Wiring {
  services: Services;
  authenticator: Authenticator;
  /** Budgets of keys, their lineages and owners: the admission phase's decisions and their settlement. */
  admission: BudgetAdmission;
  /** Where budgets are counted; `degraded` while Redis is configured but away. */
  budgetStore: BudgetStore;
  verifier: KeyVerifier;
  lastUsed: LastUsedTracker;
  /** Per-key usage counted in memory, added into PostgreSQL every few seconds. */
  usage: UsageRecorder;
  /** Stops background work: flushes lastUsedAt, closes the listener and Redis. */
  stop(): Promise<void>;
}

/** Creates the services and the gateway's moving parts, and connects them to each other. */
export async function createServices(config: Config, db: DataSource, databaseUrl: string, metrics: Metrics, logger: Logger): Promise<Wiring> {
  const passwords = new PasswordHasher(config.bcryptCost);
  const accessTokens = new AccessTokens(await resolveJwtSecret(config), config.accessTokenTtlSeconds);
  const audit = new AuditService(db);
  // This app's own: KEYGATE_CONFIG (through the upstream gateway) configures it, and nothing else.
  const scopeCatalog = new ScopeCatalog();
  const roles = new RoleScopes(scopeCatalog);

  const lastUsed = new LastUsedTracker(db, logger);
  let listening = false;
  // Authority follows the current state: each user's role, existence and token version, cached
  // and dropped by the same NOTIFY as keys (bypassed while it cannot be heard).
  const userStates = new UserStates(db, { cacheUsable: () => listening });
  const sessions = new SessionStates(db, { cacheUsable: () => listening });
  // Budget plans span a lineage and an owner: any change to a key or a user drops them all.
  const budgetPlans = new BudgetPlans(db, { cacheUsable: () => listening });
  const verifier = new KeyVerifier(db, metrics, userStates, roles, {
    cacheUsable: () => listening,
    onVerified: (principal) => lastUsed.touch(principal.id),
  });
  const bus = new KeyInvalidationBus(
    databaseUrl,
    logger,
    (message) => {
      if (message.hashes) verifier.invalidateHashes(message.hashes);
      if (message.hashes || message.userId) budgetPlans.clear();
      if (message.sessions) sessions.invalidate(message.sessions);
      if (message.userId) {
        userStates.invalidate(message.userId);
        verifier.invalidateUser(message.userId);
      }
    },
    () => {
      userStates.clear();
      sessions.clear();
      budgetPlans.clear();
      verifier.clear();
    },
  );
  bus.onConnectionChange((up) => (listening = up));
  await bus.start();

  // A role change, a deletion or a password change reaches every instance's cache on commit.
  const publishUserState = (em: EntityManager, userId: string) => bus.publish(em, { userId });
  const users = new UsersService(
    db,
    passwords,
    roles,
    (em, actor, action, user, changes) => audit.record(em, actor, action, { userId: user.id }, changes),
    publishUserState,
  );
  // This instance forgets at once; the others when the NOTIFY arrives.
  users.onStateChange((userId) => {
    userStates.invalidate(userId);
    verifier.invalidateUser(userId);
    budgetPlans.clear();
  });
  let redis: Redis | undefined;
  if (config.redisUrl) redis = createRedis(config.redisUrl, logger, config.redisTimeoutMs);
  const auth = new AuthService(
    db,
    users,
    passwords,
    accessTokens,
    new LoginThrottle(config.loginLimits, redis),
    config.refreshTokenTtlSeconds,
    userStates,
    publishUserState,
    sessions,
    (em, sessionIds) => bus.publish(em, { sessions: sessionIds }),
  );
  const budgetStore = new BudgetStore({
    redis,
    timeoutMs: config.redisTimeoutMs,
    onFallback: () => metrics.rateLimitFallbacks.inc(),
  });
  const credits = new CreditsLedger(db, logger);
  const clientKeys = new ClientKeysService(db, audit, roles, (em, change) => bus.publish(em, { hashes: change.hashes }), {
    defaultMaxOperationCost: config.maxOperationCost,
    creditsChanged: async (of, id) => {
      // The live balance is dropped: the next request loads PostgreSQL's value. Unwritten debits are
      // kept (they were spent): forgetting them would let a SET undo the last second's spending.
      await credits.flush();
      await budgetStore.dropBalance(await credits.currentBalanceId(of, id)).catch(() => undefined);
    },
    remaining: async (keyId) => {
      const plan = await admission.plan(keyId);
      const verdict = await admission.peek(plan);
      return admission.status(verdict, verdict.states);
    },
    flushCredits: () => credits.flush(),
    unwritten: (of, id) => credits.unwritten(of, id),
  });
  users.onCreditsChange((userId) => {
    void credits
      .flush()
      .then(() => credits.currentBalanceId('USER', userId))
      .then((id) => budgetStore.dropBalance(id))
      .catch(() => undefined);
  });
  // This instance forgets at once; the others when the NOTIFY arrives.
  clientKeys.onChange((change) => {
    verifier.invalidateHashes(change.hashes);
    budgetPlans.clear();
  });

  credits.start();
  const admission = new BudgetAdmission(budgetStore, budgetPlans, credits, config.maxOperationCost, () => metrics.rateLimitRefusals.inc());
  lastUsed.start();
  const usagePool = createUsagePool(databaseUrl, config.dbQueryTimeoutMs, logger, connectionBudget(config.dbPoolSize).usage);
  const usage = new UsageRecorder(usagePool, logger);
  usage.start();
  const usageRetention = new UsageRetention(usagePool, logger, config.usageRetentionDays);
  usageRetention.start();

  return {
    services: { users, auth, clientKeys, audit, usage: new UsageService(db), scopeCatalog },
    authenticator: new Authenticator(accessTokens, verifier, userStates, sessions, roles),
    admission,
    budgetStore,
    verifier,
    lastUsed,
    usage,
    async stop() {
      await lastUsed.stop();
      await credits.stop();
      await budgetStore.close();
      usageRetention.stop();
      await usage.stop();
      await usagePool.end();
      await bus.stop();
      redis?.disconnect();
    },
  };
}
