import { LRUCache } from 'lru-cache';

export interface FreshCacheOptions<V> {
  /** Backstop only: invalidation normally drops an entry within milliseconds of the change. */
  ttlMs?: number;
  maxEntries?: number;
  /** False while invalidations cannot be received: nothing is then served from or kept in the cache. */
  cacheUsable?: () => boolean;
  /** A shorter life for some values (e.g. "no such row"), in ms; undefined keeps `ttlMs`. */
  ttlOf?: (value: V) => number | undefined;
}

/**
 * Values read from the database, kept until an invalidation says they changed. Concurrent
 * misses of one key share a single read, but a read that an invalidation overtakes may have seen
 * the row before the change: it is neither cached nor joined by requests arriving after the
 * invalidation (they read again). This is what makes "revoked" mean revoked for the next request.
 */
// NonNullable: lru-cache stores no undefined or null, which it uses to mean "absent".
export class FreshCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly cache: LRUCache<K, V>;
  private readonly inFlight = new Map<K, Promise<V>>();
  /** Bumped by every invalidation: a read started under an older value is not cached. */
  private generation = 0;

  constructor(
    private readonly read: (key: K) => Promise<V>,
    private readonly options: FreshCacheOptions<V> = {},
  ) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 100_000, ttl: options.ttlMs ?? 60_000 });
  }

  /** The cached value, without reading (undefined on a miss or while the cache is unusable). */
  peek(key: K): V | undefined {
    return this.usable() ? this.cache.get(key) : undefined;
  }

  /** Synchronous when cached, otherwise a read (shared with those already waiting for this key). */
  get(key: K): V | Promise<V> {
    return this.peek(key) ?? this.load(key);
  }

  /** Reads the key, joining a read of it started since its last invalidation. */
  load(key: K): Promise<V> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const useCache = this.usable();
    const started: Promise<V> = this.read(key).finally(() => {
      if (this.inFlight.get(key) === started) this.inFlight.delete(key);
    });
    this.inFlight.set(key, started);
    started.then(
      (value) => {
        if (!useCache || generation !== this.generation) return;
        const ttl = this.options.ttlOf?.(value);
        this.cache.set(key, value, ttl === undefined ? undefined : { ttl });
      },
      () => undefined,
    );
    return started;
  }

  invalidate(keys: Iterable<K>): void {
    this.generation++;
    for (const key of keys) {
      this.cache.delete(key);
      // A read already under way may predate the change: later requests must not join it.
      this.inFlight.delete(key);
    }
  }

  /** Drops the cached values `stale` picks, and every read under way (which values they will bring is unknown). */
  invalidateWhere(stale: (value: V) => boolean): void {
    this.generation++;
    for (const [key, value] of this.cache.entries()) if (stale(value)) this.cache.delete(key);
    this.inFlight.clear();
  }

  clear(): void {
    this.generation++;
    this.cache.clear();
    this.inFlight.clear();
  }

  private usable(): boolean {
    return this.options.cacheUsable?.() ?? true;
  }
}
