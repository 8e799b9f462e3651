import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { admissionOf } from './admission-of';
import type { Admission, BudgetTicket, Counter, PlannedCounter } from './budget-types';
import { LocalCounts, type PendingBatch } from './local-counts';
import { planCounters } from './plan-counters';
import { type RedisAnswer, RedisBudget, RESYNC } from './redis-budget';
import { RedisHealth } from './redis-health';
import { TurnEnd } from './turn-end';
import { slotOf } from './window-slots';
import { withTimeout } from './with-timeout';

export interface BudgetStoreOptions {
  /** Shared counts across instances; without it each instance counts alone. */
  redis?: Redis;
  /** The longest a request waits for Redis before counting in memory (REDIS_TIMEOUT_MS). */
  timeoutMs: number;
  /** Names this process to Redis (unique per process; random by default). */
  instanceId?: string;
  /** Called whenever a request was counted in memory because Redis was away. */
  onFallback?: () => void;
  now?: () => number;
  /** Prefix of every Redis key (tests use their own). */
  keyPrefix?: string;
  /** How often a Redis that failed is asked again. */
  probeIntervalMs?: number;
  /** A balance not charged for this long leaves Redis (the caller loads it again when told it is missing). */
  balanceTtlSeconds?: number;
}

const SWEEP_INTERVAL_MS = 10_000;
/** A sync may carry many counters: it gets longer than a request, but is still bounded. */
const SYNC_TIMEOUT_FLOOR_MS = 2_000;

/**
 * Budgets (windows and credits) of every counter a request pays into, charged all or nothing.
 * With Redis: one script per request, exact across instances. Without Redis, or while Redis is
 * away: this instance's own counts (see local-counts.ts), which Redis gets back when it returns.
 *
 * Limits of the design: slots come from each instance's clock, so instances whose clocks differ
 * by d share windows shifted by d. After Redis restarts empty, each instance's counts return when
 * that instance reconnects (the Redis client's retry delay); a charge on another instance in that
 * gap sees only the counts merged so far. Credits are a cache of the caller's durable value.
 */
export class BudgetStore {
  private readonly local: LocalCounts;
  private readonly remote?: RedisBudget;
  private readonly health?: RedisHealth;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly syncTimeoutMs: number;
  private readonly sweeper: NodeJS.Timeout;
  private syncing?: Promise<void>;
  /** A sync whose answer never came: sent again as is (Redis recognises it if it was applied). */
  private unconfirmed?: PendingBatch;
  private syncSeq = 0;
  private readonly onReady = () => this.health?.probeNow();
  private readonly turnEnd = new TurnEnd();

  constructor(private readonly opts: BudgetStoreOptions) {
    if (!(opts.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs;
    this.syncTimeoutMs = Math.max(SYNC_TIMEOUT_FLOOR_MS, 10 * opts.timeoutMs);
    const balanceTtlMs = (opts.balanceTtlSeconds ?? 86_400) * 1000;
    this.local = new LocalCounts(!!opts.redis, balanceTtlMs);
    if (opts.redis) {
      const instanceId = opts.instanceId ?? randomUUID();
      this.remote = new RedisBudget(opts.redis, opts.keyPrefix ?? 'keygate:budget:', instanceId, balanceTtlMs, this.now);
      this.health = new RedisHealth(() => this.probe(), opts.probeIntervalMs ?? 500, opts.redis.status === 'ready');
      // A reconnection may be to a Redis that restarted empty: tell it this instance's counts at once.
      opts.redis.on('ready', this.onReady);
      this.health.probeNow();
    }
    this.sweeper = setInterval(() => this.local.sweep(this.now()), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /** Redis is configured but not usable right now: limits are this instance's own. */
  get degraded(): boolean {
    return !!this.health && !this.health.usable;
  }

  /** Charges every counter its units if all of them can hold them; otherwise charges nothing. */
  charge(counters: Counter[]): Promise<Admission> {
    return this.admit(counters, true);
  }

  /** What charge() would answer now, charging nothing. */
  peek(counters: Counter[]): Promise<Admission> {
    return this.admit(counters, false);
  }

  /** Gives back part of a charge (estimate minus actual); never awaited by a request. */
  refund(ticket: BudgetTicket, unitsPerCounter: number[]): void {
    const entries = ticket.entries;
    const units = entries.map((e, i) => {
      const n = unitsPerCounter[i];
      return Number.isSafeInteger(n) && n > 0 ? Math.min(n, e.units) : 0;
    });
    if (!units.some((n) => n > 0)) return;
    const toRedis = !!this.remote && !!this.health?.usable;
    this.local.refund(entries, units, this.now(), !!this.remote && !toRedis);
    if (!toRedis) return;
    withTimeout(this.remote!.refund(entries, units), this.timeoutMs).catch(() => {
      // Not known to have arrived: the next sync carries it (one that did arrive is then given back twice, for under two periods).
      this.local.owedByRedis(entries.map((e, i) => ({ ...e, units: units[i] })));
      this.health?.markDown();
    });
  }

  /** Sets a balance (after the durable value changed): the next charge starts from it. */
  setBalance(id: string, value: number): Promise<void> {
    if (!Number.isSafeInteger(value)) throw new RangeError('a balance is an integer');
    return this.writeBalance(`b:${id}`, value);
  }

  /** Forgets a balance: the next charge reports it missing (or starts from its `initial`). */
  dropBalance(id: string): Promise<void> {
    return this.writeBalance(`b:${id}`, undefined);
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.health?.stop();
    this.opts.redis?.off('ready', this.onReady);
  }

  /**
   * Stops, after one last sync: a Redis that restarted empty and has not been told this
   * instance's counts yet would otherwise lose them with this process (a sync to a Redis that
   * knows this instance only sends what is pending). Waits for the connection at most
   * `maxWaitMs`; never throws.
   */
  async close(maxWaitMs = 1000): Promise<void> {
    this.stop();
    const redis = this.opts.redis;
    if (!this.remote || !redis) return;
    if (redis.status !== 'ready' && redis.status !== 'end') {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          redis.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        redis.once('ready', done);
      });
    }
    if (redis.status === 'ready') await this.sync().catch(() => undefined);
  }

  private async admit(counters: Counter[], charge: boolean): Promise<Admission> {
    if (counters.length === 0) return { admitted: true, states: [], ticket: { entries: [] } };
    // Checked and copied now: what the caller does with its array meanwhile does not change what was asked.
    const plan = planCounters(counters);
    const redisAsked = !!this.remote && this.health!.usable;
    if (redisAsked) {
      const asked = this.askRedis(plan, charge);
      try {
        const { nowMs: at, readings } = await withTimeout(asked, this.timeoutMs);
        const admission = admissionOf(plan, readings, at, charge);
        if (admission.admitted && charge) this.local.apply(plan, at, false);
        this.local.mirrorBalances(plan, readings, admission.admitted && charge, at);
        return admission;
      } catch {
        this.health!.markDown();
        // An answer that comes late shows Redis is there (it, or this event loop, was busy for a
        // moment): look again at once, rather than counting alone until the next probe.
        asked.then(
          () => this.health!.probeNow(),
          () => undefined,
        );
        if (charge) this.settleLateAnswer(asked, plan);
      }
    } else {
      // As a Redis batch would: the turn's requests are decided together, at its end.
      await this.turnEnd.wait();
    }
    if (this.remote) this.opts.onFallback?.();
    // Decided now (a late Redis batch may yet charge the same plan at its own time: this instance
    // counts its own copy, in the slots of now).
    const nowMs = this.now();
    const own = redisAsked ? plan.map((p) => ({ ...p })) : plan;
    for (const p of own) if (p.kind === 'window') p.slot = slotOf(nowMs, p.periodSeconds);
    const admission = admissionOf(own, this.local.read(own, nowMs, charge), nowMs, charge);
    if (admission.admitted && charge) this.local.apply(own, nowMs, true);
    return admission;
  }

  private async askRedis(plan: PlannedCounter[], charge: boolean): Promise<RedisAnswer> {
    const first = await this.remote!.read(plan, charge);
    if (first !== RESYNC) return first;
    await this.sync();
    const second = await this.remote!.read(plan, charge);
    if (second === RESYNC) throw new Error('Redis forgot this instance twice in a row');
    return second;
  }

  /**
   * Redis answered after the request had been counted in memory. If Redis charged it too, it
   * holds units this instance never recorded against it: they are taken back from Redis (at
   * once if it is usable again, else with the next sync), so nothing is charged twice for long.
   */
  private settleLateAnswer(asked: Promise<RedisAnswer>, plan: PlannedCounter[]): void {
    asked.then(
      ({ readings }) => {
        if (readings.some((r) => r.fit !== 0 || r.missing)) return;
        // The plan holds what Redis charged (kind, key, the batch's slot, units), as a ticket does.
        const entries = plan;
        if (this.health!.usable)
          this.remote!.refund(
            entries,
            plan.map((p) => p.units),
          ).catch(() => this.local.owedByRedis(entries));
        else this.local.owedByRedis(entries);
      },
      () => undefined,
    );
  }

  private async writeBalance(key: string, value: number | undefined): Promise<void> {
    const nowMs = this.now();
    if (this.remote && this.health!.usable) {
      try {
        await withTimeout(this.remote.setBalance(key, value), this.timeoutMs);
        this.local.setBalance(key, value, nowMs, false);
        return;
      } catch {
        this.health!.markDown();
      }
    }
    this.local.setBalance(key, value, nowMs, !!this.remote);
  }

  /** Is Redis there? Then tell it what it missed; only then is it used again. */
  private async probe(): Promise<void> {
    await withTimeout(this.remote!.ping(), this.timeoutMs);
    await this.sync();
  }

  /** One sync at a time; loops while changes made meanwhile wait. */
  private sync(): Promise<void> {
    this.syncing ??= this.runSync().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async runSync(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      const batch = this.unconfirmed ?? this.local.takePending(`${Date.now()}-${++this.syncSeq}`);
      this.unconfirmed = batch;
      await withTimeout(this.remote!.sync(batch.seq, this.local.payload(batch, this.now())), this.syncTimeoutMs);
      this.unconfirmed = undefined;
      if (!this.local.hasPending()) return;
    }
  }
}
