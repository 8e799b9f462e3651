import type { ChargedEntry, CounterReading, PlannedCounter } from './budget-types';
import { fitSlot, SLOTS, slotOf } from './window-slots';

interface SlotCount {
  /** Units this instance charged in the slot, through Redis or in memory. */
  total: number;
  /** Units Redis has not been told of yet (negative: Redis holds units to give back). */
  pending: number;
}

interface LocalWindow {
  periodSeconds: number;
  slots: Map<number, SlotCount>;
  /** The sum of the slots' totals, kept as they change, so that a read does not add up every slot. */
  used: number;
  /** The lowest slot held: slots leave the window once a slot, so most reads find none to drop. */
  lowest: number;
  /** The newest slot with units (-1: none); undefined when it must be looked for again. */
  newest: number | undefined;
}

interface LocalBalance {
  value: number;
  touchedMs: number;
}

interface BalanceChange {
  delta: number;
  /** Redis's value is stale (set or dropped while Redis was away): delete it there, the caller reloads. */
  drop: boolean;
}

/** What an instance tells Redis when it comes back: its windows' slots, its balance changes. */
export interface SyncPayload {
  windows: Array<{ key: string; slot: number; total: number; pending: number; ttlMs: number }>;
  balances: Array<{ key: string; delta: number; drop: boolean }>;
}

/** Pending changes taken out for one sync (sent again as they are until Redis confirms them). */
export interface PendingBatch {
  seq: string;
  windows: Map<string, Map<number, number>>;
  balances: Map<string, BalanceChange>;
}

/** Up to this many counters, a request's repeats are found by comparing keys rather than with a map. */
const SHORT_PLAN = 16;

/**
 * This instance's own charges, per counter and slot, for as long as they count: the whole
 * budget store without Redis, the fallback while Redis is away, and what is merged back into
 * Redis when it returns (all of it after a restart; the part it missed otherwise).
 */
export class LocalCounts {
  private readonly windows = new Map<string, LocalWindow>();
  private readonly balances = new Map<string, LocalBalance>();
  private readonly balanceChanges = new Map<string, BalanceChange>();

  /** @param trackPending with Redis: remember what Redis has not seen. */
  constructor(
    private readonly trackPending: boolean,
    private readonly balanceTtlMs: number,
  ) {}

  /** `charge`: a balance started from its `initial` is kept (a peek only reads it, as with Redis). */
  read(plan: readonly PlannedCounter[], nowMs: number, charge: boolean): CounterReading[] {
    const readings = new Array<CounterReading>(plan.length);
    // What the same request asks of the same counter before this entry (it rarely does): a map only for long plans.
    const extra = plan.length > SHORT_PLAN ? new Map<string, number>() : undefined;
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i];
      let earlier = 0;
      if (extra) {
        earlier = extra.get(p.key) ?? 0;
        extra.set(p.key, earlier + p.units);
      } else for (let j = 0; j < i; j++) if (plan[j].key === p.key) earlier += plan[j].units;
      readings[i] = p.kind === 'window' ? this.readWindow(p, earlier) : this.readBalance(p, earlier, nowMs, charge);
    }
    return readings;
  }

  /** Records an admitted charge; `inMemory`: Redis did not take it (yet). */
  apply(plan: readonly PlannedCounter[], nowMs: number, inMemory: boolean): void {
    for (const p of plan) {
      if (p.units === 0) continue;
      if (p.kind === 'window') {
        const w = this.window(p.key, p.periodSeconds);
        const slot = this.slotCount(w, p.slot);
        slot.total += p.units;
        w.used += p.units;
        if (w.newest !== undefined && p.slot > w.newest) w.newest = p.slot;
        if (inMemory && this.trackPending) slot.pending += p.units;
      } else {
        const balance = this.balances.get(p.key);
        if (balance) {
          balance.value -= p.units;
          balance.touchedMs = nowMs;
        }
        if (inMemory && this.trackPending) this.change(p.key).delta -= p.units;
      }
    }
  }

  /** Keeps the balances Redis reported (after this charge), so a fallback starts from them. */
  mirrorBalances(plan: readonly PlannedCounter[], readings: readonly CounterReading[], charged: boolean, nowMs: number): void {
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i];
      if (p.kind !== 'balance' || readings[i].missing) continue;
      const value = readings[i].value - (charged ? p.units : 0);
      const balance = this.balances.get(p.key);
      if (!balance) this.balances.set(p.key, { value, touchedMs: nowMs });
      else {
        balance.value = value;
        balance.touchedMs = nowMs;
      }
    }
  }

  /** Redis took a charge whose answer came too late: it holds units this instance must take back from it. */
  owedByRedis(entries: readonly ChargedEntry[]): void {
    if (!this.trackPending) return;
    for (const e of entries) {
      if (e.units === 0) continue;
      if (e.kind === 'window') {
        const w = this.window(e.key, periodOfKey(e.key));
        this.slotCount(w, e.slot).pending -= e.units;
      } else this.change(e.key).delta += e.units;
    }
  }

  /** Gives units back here; `tellRedisLater`: Redis is away, so the refund waits for it. */
  refund(entries: readonly ChargedEntry[], units: readonly number[], nowMs: number, tellRedisLater: boolean): void {
    entries.forEach((e, i) => {
      const n = units[i];
      if (n <= 0) return;
      if (e.kind === 'window') {
        const w = this.windows.get(e.key);
        const slot = w?.slots.get(e.slot);
        if (w && slot) {
          const back = Math.min(slot.total, n);
          slot.total -= back;
          w.used -= back;
          if (slot.total === 0 && e.slot === w.newest) w.newest = undefined;
        }
        if (tellRedisLater && this.trackPending) this.slotCount(w ?? this.window(e.key, periodOfKey(e.key)), e.slot).pending -= n;
      } else {
        const balance = this.balances.get(e.key);
        if (balance) {
          balance.value += n;
          balance.touchedMs = nowMs;
        }
        if (tellRedisLater && this.trackPending) this.change(e.key).delta += n;
      }
    });
  }

  setBalance(key: string, value: number | undefined, nowMs: number, tellRedisLater: boolean): void {
    if (value === undefined) this.balances.delete(key);
    else this.balances.set(key, { value, touchedMs: nowMs });
    if (tellRedisLater && this.trackPending) this.balanceChanges.set(key, { delta: 0, drop: true });
  }

  hasPending(): boolean {
    if (this.balanceChanges.size) return true;
    for (const w of this.windows.values()) for (const s of w.slots.values()) if (s.pending !== 0) return true;
    return false;
  }

  /** Takes every pending change out, for one sync. */
  takePending(seq: string): PendingBatch {
    const batch: PendingBatch = { seq, windows: new Map(), balances: new Map(this.balanceChanges) };
    this.balanceChanges.clear();
    for (const [key, w] of this.windows) {
      for (const [slot, s] of w.slots) {
        if (s.pending === 0) continue;
        let slots = batch.windows.get(key);
        if (!slots) batch.windows.set(key, (slots = new Map()));
        slots.set(slot, s.pending);
        s.pending = 0;
      }
    }
    return batch;
  }

  /** The sync to send: every slot still counting, with its total and the batch's pending part. */
  payload(batch: PendingBatch, nowMs: number): SyncPayload {
    const windows: SyncPayload['windows'] = [];
    const seen = new Set<string>();
    const add = (key: string, periodSeconds: number, slot: number, total: number, pending: number) => {
      if (slot < slotOf(nowMs, periodSeconds) - SLOTS || (total === 0 && pending === 0)) return;
      windows.push({ key, slot, total, pending, ttlMs: 2 * periodSeconds * 1000 });
    };
    for (const [key, w] of this.windows) {
      for (const [slot, s] of w.slots) {
        seen.add(`${key} ${slot}`);
        add(key, w.periodSeconds, slot, s.total, batch.windows.get(key)?.get(slot) ?? 0);
      }
    }
    for (const [key, slots] of batch.windows) {
      for (const [slot, pending] of slots) if (!seen.has(`${key} ${slot}`)) add(key, periodOfKey(key), slot, 0, pending);
    }
    const balances = [...batch.balances].map(([key, c]) => ({ key, delta: c.delta, drop: c.drop }));
    return { windows, balances };
  }

  /** Forgets slots that no longer count and balances untouched for their time to live. */
  sweep(nowMs: number): void {
    for (const [key, w] of this.windows) {
      this.drop(w, slotOf(nowMs, w.periodSeconds) - SLOTS);
      if (w.slots.size === 0) this.windows.delete(key);
    }
    for (const [key, b] of this.balances) if (nowMs - b.touchedMs > this.balanceTtlMs) this.balances.delete(key);
  }

  private readWindow(p: PlannedCounter, earlier: number): CounterReading {
    const w = this.windows.get(p.key);
    if (!w) return { value: earlier, newest: -1, fit: earlier + p.units <= p.limit ? 0 : -1, missing: false };
    this.drop(w, p.slot - SLOTS);
    if (w.newest === undefined) {
      w.newest = -1;
      for (const [slot, s] of w.slots) if (s.total > 0 && slot > w.newest) w.newest = slot;
    }
    const used = w.used;
    let fit = 0;
    if (used + earlier + p.units > p.limit) {
      const counted: Array<[number, number]> = [];
      for (const [slot, s] of w.slots) if (s.total > 0) counted.push([slot, s.total]);
      fit = fitSlot(counted, used, earlier + p.units, p.limit);
    }
    return { value: used + earlier, newest: w.newest, fit, missing: false };
  }

  /** Forgets the slots below `oldest` (they left the window). */
  private drop(w: LocalWindow, oldest: number): void {
    if (w.lowest >= oldest) return;
    let lowest = Infinity;
    for (const [slot, s] of w.slots) {
      if (slot >= oldest) lowest = Math.min(lowest, slot);
      else {
        w.slots.delete(slot);
        w.used -= s.total;
        if (slot === w.newest) w.newest = undefined;
      }
    }
    w.lowest = lowest;
  }

  private readBalance(p: PlannedCounter, earlier: number, nowMs: number, charge: boolean): CounterReading {
    let balance = this.balances.get(p.key);
    if (!balance && p.initial !== undefined) {
      balance = { value: p.initial, touchedMs: nowMs };
      if (charge) this.balances.set(p.key, balance);
    }
    if (!balance) return { value: 0, newest: -1, fit: -1, missing: true };
    const value = balance.value - earlier;
    return { value, newest: -1, fit: value >= p.units ? 0 : -1, missing: false };
  }

  private window(key: string, periodSeconds: number): LocalWindow {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { periodSeconds, slots: new Map(), used: 0, lowest: Infinity, newest: -1 }));
    return w;
  }

  private slotCount(w: LocalWindow, slot: number): SlotCount {
    let s = w.slots.get(slot);
    if (!s) {
      w.slots.set(slot, (s = { total: 0, pending: 0 }));
      if (slot < w.lowest) w.lowest = slot;
    }
    return s;
  }

  private change(key: string): BalanceChange {
    let c = this.balanceChanges.get(key);
    if (!c) this.balanceChanges.set(key, (c = { delta: 0, drop: false }));
    return c;
  }
}

/** A window key is `w:<periodSeconds>:<id>`. */
function periodOfKey(key: string): number {
  return Number(key.slice(2, key.indexOf(':', 2)));
}
