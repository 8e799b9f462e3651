import { LRUCache } from 'lru-cache';
import type { DataSource } from 'typeorm';
import type { BudgetPlan, Payer } from './budget-plan';
import { creditsOf } from './limit-rules';
import { DEFAULT_LIMIT_NAME, type LimitSpec, type RefillSpec } from './limit-spec';
import { LimitUnit } from './limit-unit';

interface PlanRow {
  id: string;
  depth: number;
  user_id: string;
  rate_limit_per_minute: number;
  limits: LimitSpec[];
  max_operation_cost: number | null;
  credits_remaining: string | null;
  credits_refill: RefillSpec | null;
  credits_refilled_at: Date | null;
  owner_limits: LimitSpec[] | null;
  owner_credits_remaining: string | null;
  owner_credits_refill: RefillSpec | null;
  owner_credits_refilled_at: Date | null;
}

/** Deep enough for any lineage people build; a cycle (impossible by construction) still ends. */
const MAX_DEPTH = 10_000;

export interface BudgetPlansOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** False while invalidations cannot be received: every request then reads the database. */
  cacheUsable?: () => boolean;
}

/**
 * Each key's budget plan (its limits, its ancestors' and its owner's), read with one query on a
 * miss and cached. Any change to a key or a user drops the whole cache (`clear`): such changes are
 * rare, a change to an ancestor or an owner concerns many keys, and a plan costs one query to rebuild.
 */
export class BudgetPlans {
  private readonly cache: LRUCache<string, BudgetPlan>;
  private readonly inFlight = new Map<string, Promise<BudgetPlan | null>>();
  private generation = 0;

  constructor(
    private readonly db: DataSource,
    private readonly options: BudgetPlansOptions = {},
  ) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 100_000, ttl: options.ttlMs ?? 60_000 });
  }

  /** Synchronous when cached; null when the key no longer exists. */
  get(keyId: string): BudgetPlan | null | Promise<BudgetPlan | null> {
    const useCache = this.options.cacheUsable?.() ?? true;
    const cached = useCache ? this.cache.get(keyId) : undefined;
    if (cached) return cached;
    let pending = this.inFlight.get(keyId);
    if (!pending) {
      const generation = this.generation;
      const started: Promise<BudgetPlan | null> = this.load(keyId).finally(() => {
        if (this.inFlight.get(keyId) === started) this.inFlight.delete(keyId);
      });
      pending = started;
      this.inFlight.set(keyId, pending);
      void pending.then(
        (plan) => {
          if (plan && useCache && generation === this.generation) this.cache.set(keyId, plan);
        },
        () => undefined,
      );
    }
    return pending;
  }

  /** Drops every plan, and lookups under way (they may have read the state before the change). */
  clear(): void {
    this.generation++;
    this.cache.clear();
    this.inFlight.clear();
  }

  private async load(keyId: string): Promise<BudgetPlan | null> {
    const rows: PlanRow[] = await this.db.query(
      `WITH RECURSIVE chain AS (
         SELECT k.*, 0 AS depth FROM client_keys k WHERE k.id = $1
         UNION ALL
         SELECT p.*, c.depth + 1 FROM client_keys p JOIN chain c ON p.id = c.created_by_key_id WHERE c.depth < $2
       )
       SELECT c.id, c.depth, c.user_id, c.rate_limit_per_minute, c.limits, c.max_operation_cost,
              c.credits_remaining, c.credits_refill, c.credits_refilled_at,
              u.limits AS owner_limits, u.credits_remaining AS owner_credits_remaining,
              u.credits_refill AS owner_credits_refill, u.credits_refilled_at AS owner_credits_refilled_at
         FROM chain c LEFT JOIN users u ON u.id = c.user_id
        ORDER BY c.depth`,
      [keyId, MAX_DEPTH],
    );
    if (rows.length === 0) return null;
    const payers: Payer[] = rows.map((row) => ({
      of: row.depth === 0 ? 'KEY' : 'PARENT_KEY',
      id: row.id,
      depth: row.depth,
      limits: keyLimits(row.rate_limit_per_minute, row.limits),
      credits: creditsOf({ creditsRemaining: row.credits_remaining, creditsRefill: row.credits_refill, creditsRefilledAt: row.credits_refilled_at }),
    }));
    const key = rows[0];
    payers.push({
      of: 'USER',
      id: key.user_id,
      depth: -1,
      limits: key.owner_limits ?? [],
      credits: creditsOf({
        creditsRemaining: key.owner_credits_remaining,
        creditsRefill: key.owner_credits_refill,
        creditsRefilledAt: key.owner_credits_refilled_at,
      }),
    });
    return { keyId, maxOperationCosts: rows.map((row) => row.max_operation_cost), payers };
  }
}

/** A key's limits as enforced: `default` (rateLimitPerMinute, root fields per minute) and its named ones. */
export function keyLimits(rateLimitPerMinute: number, named: readonly LimitSpec[]): LimitSpec[] {
  return [{ name: DEFAULT_LIMIT_NAME, unit: LimitUnit.ROOT_FIELDS, limit: rateLimitPerMinute, periodSeconds: 60 }, ...named];
}
