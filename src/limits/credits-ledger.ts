import type { DataSource } from 'typeorm';
import { PeriodicFlush } from '../common/periodic-flush';
import type { Logger } from '../logging/logger';
import type { Payer } from './budget-plan';
import type { RefillSpec } from './limit-spec';
import { periodStart, periodTag, refillDue } from './refill-periods';

type Table = 'client_keys' | 'users';

interface CreditsRow {
  credits_remaining: string | null;
  credits_refill: RefillSpec | null;
  credits_refilled_at: Date | null;
}

function newPending(): Record<Table, Map<string, number>> {
  return { client_keys: new Map(), users: new Map() };
}

function tableOf(payer: Pick<Payer, 'of'>): Table {
  return payer.of === 'USER' ? 'users' : 'client_keys';
}

/**
 * Credits live in PostgreSQL. Requests reserve their estimated cost from a live balance (in the
 * budget store: Redis, or this instance's memory) and are charged their actual cost here: debits
 * are added up in memory and written every second (and at shutdown), so a restart of Keygate or of
 * Redis forgives at most the last second's debits. A balance is loaded from PostgreSQL when the
 * store has none (first use, a new refill period, after Redis lost it); refills happen then, in
 * PostgreSQL, once per period whatever the number of instances.
 */
export class CreditsLedger {
  /** Debits not yet written, per table by id (the plan's id strings: no key is made per request). */
  private pending = newPending();
  private readonly flusher: PeriodicFlush;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    intervalMs = 1000,
  ) {
    this.flusher = new PeriodicFlush(() => this.write(), intervalMs);
  }

  /** The store's id of a payer's live balance: a new refill period is a new balance. */
  balanceId(payer: Pick<Payer, 'of' | 'id' | 'credits'>, now = Date.now()): string {
    // Grouped with the payer's limits (`<group>|<name>`): one read and one write per payer with Redis.
    return `${payer.of === 'USER' ? 'u' : 'k'}:${payer.id}|c:${periodTag(payer.credits?.refill ?? null, now)}`;
  }

  /** The live balance id of a key's or user's credits as they are configured now. */
  async currentBalanceId(of: Payer['of'], id: string): Promise<string> {
    const rows: CreditsRow[] = await this.db.query(`SELECT credits_refill FROM ${tableOf({ of })} WHERE id = $1`, [id]);
    return this.balanceId({ of, id, credits: { remaining: 0, refill: rows[0]?.credits_refill ?? null, refilledAt: null } });
  }

  /** What remains for the payer now, read from PostgreSQL (refilled first when a refill is due), less this instance's unwritten debits. */
  async load(payer: Payer): Promise<number> {
    const table = tableOf(payer);
    const now = Date.now();
    const rows: CreditsRow[] = await this.db.query(`SELECT credits_remaining, credits_refill, credits_refilled_at FROM ${table} WHERE id = $1`, [payer.id]);
    let row = rows[0];
    if (!row || row.credits_remaining === null) return Number.MAX_SAFE_INTEGER;
    if (refillDue(row.credits_refill, row.credits_refilled_at, now)) {
      const start = new Date(periodStart(row.credits_refill!, now));
      // Only the first instance to get here refills; the others read its result.
      // TypeORM answers an UPDATE ... RETURNING as [rows, affected].
      const [updated]: [CreditsRow[], number] = await this.db.query(
        `UPDATE ${table} SET credits_remaining = (credits_refill->>'amount')::bigint, credits_refilled_at = now()
          WHERE id = $1 AND credits_refill IS NOT NULL AND (credits_refilled_at IS NULL OR credits_refilled_at < $2)
          RETURNING credits_remaining, credits_refill, credits_refilled_at`,
        [payer.id, start],
      );
      const refilled = updated[0];
      if (refilled) {
        // Debits counted before the refill belong to the period that ended.
        this.pending[table].delete(payer.id);
        row = refilled;
      } else {
        row =
          ((await this.db.query(`SELECT credits_remaining, credits_refill, credits_refilled_at FROM ${table} WHERE id = $1`, [payer.id])) as CreditsRow[])[0] ??
          row;
      }
    }
    const unwritten = this.pending[table].get(payer.id) ?? 0;
    return Math.max(0, Number(row.credits_remaining) - unwritten);
  }

  /** The actual cost of a request, taken from the payer's credits at the next write. */
  debit(payer: Payer, amount: number): void {
    if (amount <= 0) return;
    const debits = this.pending[tableOf(payer)];
    debits.set(payer.id, (debits.get(payer.id) ?? 0) + amount);
  }

  /** Unwritten debits of a subject, for showing what remains. */
  unwritten(of: Payer['of'], id: string): number {
    return this.pending[tableOf({ of })].get(id) ?? 0;
  }

  start(): void {
    this.flusher.start();
  }

  stop(): Promise<void> {
    return this.flusher.stop();
  }

  /** Writes the debits counted so far; concurrent calls share one write. Never throws. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    if (batch.client_keys.size === 0 && batch.users.size === 0) return;
    this.pending = newPending();
    for (const table of ['client_keys', 'users'] as const) {
      const entries = [...batch[table]].map(([id, amount]) => ({ id, amount }));
      if (entries.length === 0) continue;
      try {
        await this.db.query(
          `UPDATE ${table} t SET credits_remaining = GREATEST(0, t.credits_remaining - d.amount)
             FROM unnest($1::uuid[], $2::bigint[]) AS d(id, amount)
            WHERE t.id = d.id AND t.credits_remaining IS NOT NULL`,
          [entries.map((e) => e.id), entries.map((e) => e.amount)],
        );
      } catch (err) {
        // Kept for the next attempt: credits are never forgiven because the database was away.
        const debits = this.pending[table];
        for (const e of entries) debits.set(e.id, (debits.get(e.id) ?? 0) + e.amount);
        this.logger.warn({ err }, 'could not write credit debits; will retry');
      }
    }
  }
}
