import type { LimitUnit } from './limit-unit';

/** A named limit as stored (JSON in `limits`) and enforced: at most `limit` units in any span of `periodSeconds`. */
export interface LimitSpec {
  name: string;
  unit: LimitUnit;
  limit: number;
  periodSeconds: number;
}

export type RefillInterval = 'DAILY' | 'MONTHLY';

export interface RefillSpec {
  amount: number;
  interval: RefillInterval;
  /** MONTHLY only: the day of the month it refills (1-31; short months refill on their last day). */
  dayOfMonth: number | null;
}

/** A quota: what remains (as last written to PostgreSQL) and how it refills. */
export interface CreditsSpec {
  remaining: number;
  refill: RefillSpec | null;
  refilledAt: Date | null;
}

/** The name `rateLimitPerMinute` is known by among a key's limits. */
export const DEFAULT_LIMIT_NAME = 'default';
