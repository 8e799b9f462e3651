/**
 * What one request asks of one budget. A window is a named limit of a key or a user (at most
 * `limit` units in any span of `periodSeconds`); a balance is a stock of credits that only
 * goes down by charges and up by refunds (its id names the refill period, so a new period is a
 * new balance, loaded by the caller).
 *
 * An id `<group>|<name>` puts the counter beside its group's other counters (a payer's limits
 * and credits): with Redis, a request reads and writes each group once (redis-places.ts).
 */
export type Counter =
  { kind: 'window'; id: string; limit: number; periodSeconds: number; units: number } | { kind: 'balance'; id: string; units: number; initial?: number };

export interface CounterState {
  remaining: number;
  /** Windows: seconds until every unit counted now has left the window (0 when none is); balances: 0. */
  resetSeconds: number;
}

export interface Admission {
  admitted: boolean;
  /** The first counter that cannot hold its units. */
  refusedIndex?: number;
  /** When a window refused: seconds until the request would fit (at least 1). */
  retryAfterSeconds?: number;
  /** Per counter, after the charge (as they are when nothing was charged). */
  states: CounterState[];
  /** Balances with no stored value and no `initial`: load them, then charge again. */
  missing?: number[];
  /** What refund() needs: the slots that were charged. */
  ticket: BudgetTicket;
}

/** One counter as the stores see it: its storage key and, for a window, the slot it is charged in (set when the store decides). */
export interface PlannedCounter {
  kind: 'window' | 'balance';
  /** `w:<period>:<id>` or `b:<id>`: the period is part of a window's key, as slots of two sizes cannot be added. */
  key: string;
  units: number;
  limit: number;
  periodSeconds: number;
  slot: number;
  initial?: number;
}

/** What a store read for one counter, before this request's charge. */
export interface CounterReading {
  /** Window: units counted in the window; balance: its value. */
  value: number;
  /** Window: the newest slot holding units (-1: none). */
  newest: number;
  /** 0: fits; -1: can never fit (more units than the limit, or a short balance); else the slot from which it fits. */
  fit: number;
  missing: boolean;
}

export interface ChargedEntry {
  kind: 'window' | 'balance';
  key: string;
  slot: number;
  units: number;
}

/** Opaque to callers: which slots and balances a charge took units from. */
export interface BudgetTicket {
  readonly entries: readonly ChargedEntry[];
}
