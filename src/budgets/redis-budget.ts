import type { Redis } from 'ioredis';
import { CHARGE_SCRIPT, REFUND_SCRIPT, SET_BALANCE_SCRIPT, SYNC_SCRIPT } from './budget-scripts';
import type { ChargedEntry, CounterReading, PlannedCounter } from './budget-types';
import type { SyncPayload } from './local-counts';
import { type RedisPlace, redisPlace } from './redis-places';
import { slotOf } from './window-slots';

/** ioredis flattens array arguments one level. */
type ScriptRunner = (numKeys: number, ...args: Array<string | number | Array<string | number>>) => Promise<unknown>;

/** Redis said it does not know this instance (it restarted empty): sync, then ask again. */
export const RESYNC = Symbol('resync');

const MAX_PLACES = 50_000;
/** A script blocks Redis while it runs: a busy turn's requests are sent in several. */
const MAX_BATCH = 64;
/** ...and a batch's counters are bounded too (a request with a long lineage pays into many). */
const MAX_BATCH_COUNTERS = 2048;

/** What Redis read for one request, at the batch's time. */
export interface RedisAnswer {
  nowMs: number;
  readings: CounterReading[];
}

interface Ask {
  plan: PlannedCounter[];
  charge: boolean;
  resolve(answer: RedisAnswer | typeof RESYNC): void;
  reject(err: unknown): void;
}

/** A counter's hash and field, and a window's bookkeeping fields. */
interface CounterPlace extends RedisPlace {
  t: string;
  n: string;
  o: string;
}

/** A script's KEYS: each hash once; a counter names its hash by its (1-based) index. */
class HashKeys {
  private readonly index = new Map<string, number>();

  constructor(
    private readonly prefix: string,
    readonly list: string[],
  ) {}

  indexOf(hash: string): number {
    let i = this.index.get(hash);
    if (i === undefined) {
      this.list.push(this.prefix + hash);
      this.index.set(hash, (i = this.list.length));
    }
    return i;
  }
}

/**
 * The distinct request shapes of a batch, each as the script reads it: 'c' (charge) or 'p'
 * (peek), its number of counters, and 2 per counter: which, and its units. Found again by
 * comparing numbers, never by building a string per request.
 */
class BatchShapes {
  readonly args: Array<string | number> = [];
  count = 0;
  private readonly byFirst = new Map<number, Array<{ at: number; index: number }>>();
  private current: number[] = [];
  private charge = true;

  start(charge: boolean): number[] {
    this.charge = charge;
    this.current = [];
    return this.current;
  }

  /** The (1-based) index of the shape just made: an earlier one when it is the same. */
  end(): number {
    const shape = this.current;
    const flag = this.charge ? 'c' : 'p';
    const first = shape.length ? shape[0] : 0;
    let same = this.byFirst.get(first);
    if (!same) this.byFirst.set(first, (same = []));
    for (const known of same) if (this.matches(known.at, flag, shape)) return known.index;
    const at = this.args.length;
    this.args.push(flag, shape.length / 2);
    for (const n of shape) this.args.push(n);
    same.push({ at, index: ++this.count });
    return this.count;
  }

  private matches(at: number, flag: string, shape: number[]): boolean {
    const args = this.args;
    if (args[at] !== flag || args[at + 1] !== shape.length / 2) return false;
    for (let i = 0; i < shape.length; i++) if (args[at + 2 + i] !== shape[i]) return false;
    return true;
  }
}

/**
 * Answers a run of requests of one shape that all fit: Redis sent each counter's value (and a
 * window's newest slot) before the first of them; each later one sees the units those before it
 * charged, as if Redis had answered it on its own. Returns where the next run's answer starts.
 */
function readRun(out: number[], k: number, asks: Ask[], first: number, length: number, nowMs: number): number {
  const { plan, charge } = asks[first];
  const n = plan.length;
  const values = new Array<number>(n);
  const newest = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    values[i] = out[k++];
    newest[i] = plan[i].kind === 'window' ? out[k++] : -1;
  }
  for (let j = 0; j < length; j++) {
    const readings: CounterReading[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = plan[i];
      const window = p.kind === 'window';
      readings[i] = { value: values[i], newest: newest[i], fit: 0, missing: false };
      if (charge && p.units > 0) {
        // What this request charged is what the next one reads; a window's newest slot is now the batch's.
        values[i] += window ? p.units : -p.units;
        if (window && p.slot > newest[i]) newest[i] = p.slot;
      }
    }
    asks[first + j].resolve({ nowMs, readings });
  }
  return k;
}

/**
 * The budget store's Redis calls: each is one script (EVALSHA through ioredis's
 * defineCommand), so a request's whole charge is one round trip.
 */
export class RedisBudget {
  private readonly chargeScript: ScriptRunner;
  private readonly refundScript: ScriptRunner;
  private readonly syncScript: ScriptRunner;
  private readonly setBalanceScript: ScriptRunner;
  private readonly instancesKey: string;
  /** Counter keys' places, made once: a key's requests name the same counters every time. */
  private readonly places = new Map<string, CounterPlace>();
  private waiting: Ask[] = [];
  private readonly lastSyncKey: string;

  constructor(
    readonly redis: Redis,
    private readonly prefix: string,
    private readonly instanceId: string,
    private readonly balanceTtlMs: number,
    private readonly now: () => number,
  ) {
    // Its name is left out of ioredis's auto-pipelining (src/redis/redis-client.ts): it is sent once per turn already.
    redis.defineCommand('keygateBudgetCharge', { lua: CHARGE_SCRIPT });
    redis.defineCommand('keygateBudgetRefund', { lua: REFUND_SCRIPT });
    redis.defineCommand('keygateBudgetSync', { lua: SYNC_SCRIPT });
    redis.defineCommand('keygateBudgetSetBalance', { lua: SET_BALANCE_SCRIPT });
    const commands = redis as unknown as Record<string, ScriptRunner>;
    // The Buffer variant: ioredis then hands the reply (hundreds of integers per batch) on as it
    // came, rather than copying the whole array to look for buffers to decode.
    this.chargeScript = commands.keygateBudgetChargeBuffer.bind(redis);
    this.refundScript = commands.keygateBudgetRefund.bind(redis);
    this.syncScript = commands.keygateBudgetSync.bind(redis);
    this.setBalanceScript = commands.keygateBudgetSetBalance.bind(redis);
    this.instancesKey = `${prefix}instances`;
    this.lastSyncKey = `${prefix}sync:${instanceId}`;
  }

  /**
   * Reads every counter and, when `charge` and all of them hold their units, charges them all.
   * Requests asking in one turn of the event loop go to Redis together, in one script call that
   * decides each of them in turn: the time (and so the slot) is the batch's, sent back with the readings.
   */
  read(plan: PlannedCounter[], charge: boolean): Promise<RedisAnswer | typeof RESYNC> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(this.sendWaiting);
      this.waiting.push({ plan, charge, resolve, reject });
    });
  }

  private readonly sendWaiting = () => {
    const asks = this.waiting;
    this.waiting = [];
    const nowMs = this.now();
    let batch: Ask[] = [];
    let counters = 0;
    for (const ask of asks) {
      if (batch.length && (batch.length === MAX_BATCH || counters + ask.plan.length > MAX_BATCH_COUNTERS)) {
        this.send(batch, nowMs);
        batch = [];
        counters = 0;
      }
      batch.push(ask);
      counters += ask.plan.length;
    }
    if (batch.length) this.send(batch, nowMs);
  };

  /** Never throws: this runs outside any request, so whatever goes wrong is each request's error (it then counts in memory). */
  private send(asks: Ask[], nowMs: number): void {
    try {
      this.call(asks, nowMs);
    } catch (err) {
      for (const ask of asks) ask.reject(err);
    }
  }

  private call(asks: Ask[], nowMs: number): void {
    const keys = new HashKeys(this.prefix, [this.instancesKey]);
    // Per hash (the script's KEYS[h + 1]): the fields it reads.
    const fields: string[][] = [];
    const positions = new Map<string, number>();
    // A counter as Redis needs it (its hash, fields, limit or initial, slot, time to live) is sent
    // once per batch: each request then names it and its units, whatever the number of requests.
    const described = new Map<string, Map<number | string, number>>();
    const descriptors: Array<string | number> = [];
    let count = 0;
    // A request's shape (charge or peek, and which counters with how many units) is sent once per
    // batch too: a key's concurrent requests mostly share one, and each then sends only its index.
    const shapes = new BatchShapes();
    // Runs of consecutive requests of one shape: the shape's index and the run's length.
    const runs: number[] = [];
    let last = 0;
    for (const { plan, charge } of asks) {
      const shape = shapes.start(charge);
      for (const p of plan) {
        const variant = p.kind === 'window' ? p.limit : (p.initial ?? '');
        let byVariant = described.get(p.key);
        if (!byVariant) described.set(p.key, (byVariant = new Map()));
        if (p.kind === 'window') p.slot = slotOf(nowMs, p.periodSeconds);
        let d = byVariant.get(variant);
        if (d === undefined) {
          byVariant.set(variant, (d = ++count));
          const place = this.placeOf(p.key);
          const h = keys.indexOf(place.hash) - 1;
          const read = (fields[h - 1] ??= []);
          let at = positions.get(p.key);
          if (at === undefined) {
            at = read.length + 1;
            positions.set(p.key, at);
            if (p.kind === 'window') read.push(place.t, place.n, place.o, place.field + p.slot);
            else read.push(place.field);
          }
          if (p.kind === 'window') descriptors.push(h, at, p.limit, p.slot, 2 * p.periodSeconds * 1000);
          else descriptors.push(h, at, p.initial ?? '', '', '');
        }
        shape.push(d, p.units);
      }
      const index = shapes.end();
      if (index === last) runs[runs.length - 1]++;
      else runs.push((last = index), 1);
    }
    // Arrays, not spread arguments: ioredis flattens them, and a long lineage's batch can hold more values than a call may take.
    const args: Array<string | number> = [this.instanceId, this.balanceTtlMs, fields.length];
    for (const read of fields) {
      args.push(read.length);
      for (const field of read) args.push(field);
    }
    this.chargeScript(keys.list.length, keys.list, args, count, descriptors, shapes.count, shapes.args, runs).then(
      (reply) => {
        if (!Array.isArray(reply)) {
          // 'RESYNC' comes as a buffer; anything else is not this script's answer.
          const resync = String(reply) === 'RESYNC';
          for (const ask of asks) {
            if (resync) ask.resolve(RESYNC);
            else ask.reject(new Error('Redis answered the budget script with something else'));
          }
          return;
        }
        const out = reply as number[];
        let k = 0;
        let next = 0;
        for (let run = 1; run < runs.length; run += 2) {
          const length = runs[run];
          if (out[k++] === 0) {
            k = readRun(out, k, asks, next, length, nowMs);
            next += length;
            continue;
          }
          for (const end = next + length; next < end; next++) {
            const { plan, resolve } = asks[next];
            const someDoNotFit = out[k++] === 1;
            const readings: CounterReading[] = new Array(plan.length);
            for (let i = 0; i < plan.length; i++) {
              const value = out[k++];
              readings[i] = { value, newest: plan[i].kind === 'window' ? out[k++] : -1, fit: 0, missing: false };
            }
            if (someDoNotFit) {
              for (const reading of readings) {
                const fit = out[k++];
                reading.fit = fit === -2 ? -1 : fit;
                reading.missing = fit === -2;
              }
            }
            resolve({ nowMs, readings });
          }
        }
      },
      (err: unknown) => {
        for (const ask of asks) ask.reject(err);
      },
    );
  }

  async refund(entries: readonly ChargedEntry[], units: readonly number[]): Promise<void> {
    const keys = new HashKeys(this.prefix, []);
    const args: string[] = [];
    entries.forEach((e, i) => {
      if (units[i] <= 0) return;
      const place = redisPlace(e.key);
      const h = keys.indexOf(place.hash);
      args.push(e.kind === 'window' ? `w|${h}|${place.field}|${units[i]}|${e.slot}` : `b|${h}|${place.field}|${units[i]}`);
    });
    if (args.length) await this.refundScript(keys.list.length, keys.list, args);
  }

  /** Tells Redis this instance's counts; answers whether Redis had forgotten them ('RESYNCED'). */
  async sync(seq: string, payload: SyncPayload): Promise<string> {
    const keys = new HashKeys(this.prefix, [this.instancesKey, this.lastSyncKey]);
    const args: Array<string | number> = [this.instanceId, seq];
    for (const w of payload.windows) {
      const place = redisPlace(w.key);
      args.push(`w|${keys.indexOf(place.hash)}|${place.field}|${w.slot}|${w.total}|${w.pending}|${w.ttlMs}`);
    }
    for (const b of payload.balances) {
      const place = redisPlace(b.key);
      args.push(`b|${keys.indexOf(place.hash)}|${place.field}|${b.delta}|${b.drop ? '1' : '0'}`);
    }
    return String(await this.syncScript(keys.list.length, keys.list, args));
  }

  async setBalance(key: string, value: number | undefined): Promise<void> {
    const place = redisPlace(key);
    if (value === undefined) await this.redis.hdel(this.prefix + place.hash, place.field);
    else await this.setBalanceScript(1, this.prefix + place.hash, place.field, value, this.balanceTtlMs);
  }

  private placeOf(key: string): CounterPlace {
    let place = this.places.get(key);
    if (!place) {
      // Bounded: keys that stopped sending requests are forgotten wholesale, then made again when they return.
      if (this.places.size >= MAX_PLACES) this.places.clear();
      const { hash, field } = redisPlace(key);
      place = { hash, field, t: `${field}t`, n: `${field}n`, o: `${field}o` };
      this.places.set(key, place);
    }
    return place;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
