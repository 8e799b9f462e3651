import type { EntityManager } from 'typeorm';
import type { ClientKey } from './client-key.entity';
import type { ClientKeyStatus } from './client-key-status';
import type { CreditsGiven } from '../limits/limit-rules';
import type { LimitSpec } from '../limits/limit-spec';
import type { BudgetStatus } from '../identity/budget-status';

/** A key's budget settings as given in create and update. */
export interface BudgetData {
  limits?: LimitSpec[] | null;
  /** Null in an update: back to the server's MAX_OPERATION_COST. */
  maxOperationCost?: number | null;
  /** Null in an update: no quota. */
  credits?: CreditsGiven | null;
}

/** What ClientKeysService takes and tells: inputs, results and change notices. */
export interface CreateClientKeyData extends BudgetData {
  name: string;
  description?: string | null;
  scopes: string[];
  rateLimitPerMinute?: number | null;
  expiresAt?: Date | null;
  allowedCidrs?: string[] | null;
}

/** Absent fields stay as they are; `expiresAt: null` removes the expiry. */
export interface UpdateClientKeyData extends BudgetData {
  name?: string | null;
  description?: string | null;
  scopes?: string[] | null;
  rateLimitPerMinute?: number | null;
  expiresAt?: Date | null;
  /** Null or empty: usable from anywhere. */
  allowedCidrs?: string[] | null;
}

export interface ClientKeyFilter {
  status?: ClientKeyStatus | null;
  userId?: string | null;
}

export interface IssuedKey {
  clientKey: ClientKey;
  /** The secret: returned once, never stored. */
  key: string;
}

export interface KeyChange {
  id: string;
  /** SHA-256 (hex) of every secret the key had before the change. */
  hashes: string[];
}

/** Told after a commit which key changed, so cached verifications of it are dropped at once. */
export type KeyChangeListener = (change: KeyChange) => void;

/** Runs inside the change's transaction, so other instances hear of it exactly on commit. */
export type KeyChangePublisher = (em: EntityManager, change: KeyChange) => Promise<void>;

/** What the key service needs of the budgets: the default cap, and telling live balances that credits changed. */
export interface KeyBudgets {
  defaultMaxOperationCost: number;
  /** Credits of a key or user were set or adjusted (after commit): its live balance is reloaded from PostgreSQL. */
  creditsChanged(of: 'KEY' | 'USER', id: string, set: boolean): Promise<void>;
  /** What remains now of every limit and credits the key's requests pay into (its own, its ancestors', its owner's), charging nothing. */
  remaining(keyId: string): Promise<BudgetStatus>;
  /** Writes this instance's pending debits now. */
  flushCredits(): Promise<void>;
  /** Debits this instance has not written yet, to show what remains. */
  unwritten(of: 'KEY' | 'USER', id: string): number;
}
