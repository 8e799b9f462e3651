import type { EntityManager } from 'typeorm';
import type { ClientKey } from './client-key.entity';
import type { ClientKeyStatus } from './client-key-status';

/** What ClientKeysService takes and tells: inputs, results and change notices. */
export interface CreateClientKeyData {
  name: string;
  description?: string | null;
  scopes: string[];
  rateLimitPerMinute?: number | null;
  expiresAt?: Date | null;
  allowedCidrs?: string[] | null;
}

/** Absent fields stay as they are; `expiresAt: null` removes the expiry. */
export interface UpdateClientKeyData {
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
