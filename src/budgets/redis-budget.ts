import type { Redis } from 'ioredis';
import { CHARGE_SCRIPT, REFUND_SCRIPT, SYNC_SCRIPT } from './budget-scripts';
import type { ChargedEntry, CounterReading, PlannedCounter } from './budget-types';
import type { SyncPayload } from './local-counts';

type ScriptRunner = (numKeys: number, ...args: Array<string | number>) => Promise<unknown>;

/** Redis said it does not know this instance (it restarted empty): sync, then ask again. */
export const RESYNC = Symbol('resync');

/**
 * The budget store's Redis calls: each is one script (EVALSHA through ioredis's
 * defineCommand), so a request's whole charge is one round trip.
 */
export class RedisBudget {
  private readonly chargeScript: ScriptRunner;
  private readonly refundScript: ScriptRunner;
  private readonly syncScript: ScriptRunner;
  private readonly instancesKey: string;
  private readonly lastSyncKey: string;

  constructor(
    readonly redis: Redis,
    private readonly prefix: string,
    private readonly instanceId: string,
    private readonly balanceTtlMs: number,
  ) {
    redis.defineCommand('keygateBudgetCharge', { lua: CHARGE_SCRIPT });
    redis.defineCommand('keygateBudgetRefund', { lua: REFUND_SCRIPT });
    redis.defineCommand('keygateBudgetSync', { lua: SYNC_SCRIPT });
    const commands = redis as unknown as Record<string, ScriptRunner>;
    this.chargeScript = commands.keygateBudgetCharge.bind(redis);
    this.refundScript = commands.keygateBudgetRefund.bind(redis);
    this.syncScript = commands.keygateBudgetSync.bind(redis);
    this.instancesKey = `${prefix}instances`;
    this.lastSyncKey = `${prefix}sync:${instanceId}`;
  }

  /** Reads every counter and, when `charge` and all of them hold their units, charges them all. */
  async read(plan: readonly PlannedCounter[], charge: boolean): Promise<CounterReading[] | typeof RESYNC> {
    const keys = [this.instancesKey];
    const args: Array<string | number> = [this.instanceId, charge ? 'charge' : 'peek', this.balanceTtlMs];
    for (const p of plan) {
      keys.push(this.prefix + p.key);
      if (p.kind === 'window') args.push('w', p.units, p.limit, p.slot, 2 * p.periodSeconds * 1000);
      else args.push('b', p.units, p.initial ?? '', 0, 0);
    }
    const reply = (await this.chargeScript(keys.length, ...keys, ...args)) as [string, number, number[], number[]];
    if (reply[0] === 'RESYNC') return RESYNC;
    const missing = new Set(reply[2]);
    const out = reply[3];
    return plan.map((_, i) => ({ value: Number(out[3 * i]), newest: Number(out[3 * i + 1]), fit: Number(out[3 * i + 2]), missing: missing.has(i + 1) }));
  }

  async refund(entries: readonly ChargedEntry[], units: readonly number[]): Promise<void> {
    const keys: string[] = [];
    const args: Array<string | number> = [];
    entries.forEach((e, i) => {
      if (units[i] <= 0) return;
      keys.push(this.prefix + e.key);
      args.push(e.kind === 'window' ? 'w' : 'b', units[i], e.slot);
    });
    if (keys.length) await this.refundScript(keys.length, ...keys, ...args);
  }

  /** Tells Redis this instance's counts; answers whether Redis had forgotten them ('RESYNCED'). */
  async sync(seq: string, payload: SyncPayload): Promise<string> {
    const keys = [this.instancesKey, this.lastSyncKey];
    const args: Array<string | number> = [this.instanceId, seq, payload.windows.length];
    for (const w of payload.windows) {
      keys.push(this.prefix + w.key);
      args.push(w.slot, w.total, w.pending, w.ttlMs);
    }
    for (const b of payload.balances) {
      keys.push(this.prefix + b.key);
      args.push(b.delta, b.drop ? '1' : '0');
    }
    return String(await this.syncScript(keys.length, ...keys, ...args));
  }

  async setBalance(key: string, value: number | undefined): Promise<void> {
    if (value === undefined) await this.redis.del(this.prefix + key);
    else await this.redis.set(this.prefix + key, value, 'PX', this.balanceTtlMs);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
