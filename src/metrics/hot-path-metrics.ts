import type { Counter, Registry } from 'prom-client';

/**
 * Metrics touched by every request, counted in plain numbers and read by the registry only when
 * /metrics is scraped. prom-client's own children validate and hash their label set on every
 * `inc()` and `observe()`: about 2% of a small query's CPU, for numbers read a few times a minute.
 */

/** A counter child whose increments wait in a number until the counter is read. */
export interface TalliedCounter {
  inc(by?: number): void;
}

/**
 * Children of `counter` for fixed label values, folded into it by its `collect` hook (see
 * `Metrics`): `fold()` is that hook's body.
 */
export class CounterTallies<L extends string> {
  private readonly tallies: Array<{ labels: Partial<Record<L, string>>; pending: number }> = [];

  constructor(private readonly counter: Counter<L>) {
    // A reset of the counter also forgets what waits to be folded into it.
    const reset = counter.reset.bind(counter);
    counter.reset = () => {
      for (const tally of this.tallies) tally.pending = 0;
      reset();
    };
  }

  /** Call once per label set and keep the child: each call adds a tally. */
  child(labels: Partial<Record<L, string>>): TalliedCounter {
    const tally = { labels, pending: 0 };
    this.tallies.push(tally);
    return {
      inc: (by = 1) => {
        // Refused here, as prom-client refuses it, rather than at the next scrape.
        if (!(by >= 0) || !Number.isFinite(by)) throw new TypeError(`A counter only counts up, by a finite amount: ${by}`);
        tally.pending += by;
      },
    };
  }

  fold(): void {
    for (const tally of this.tallies) {
      const pending = tally.pending;
      if (pending === 0) continue;
      tally.pending = 0;
      this.counter.inc(tally.labels, pending);
    }
  }
}

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative: summed when read). */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * A histogram served to the registry in prom-client's own shape (`_bucket` lines with `le`,
 * `_sum`, `_count`), whose children only add to arrays when they observe.
 */
export class HotHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    // The registry reads any object with a name and an async get(); prom-client's types want its own classes.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The child for these label values, in labelNames' order; hold on to it, a lookup per call would cost what this saves. */
  labels(...values: string[]): { observe(value: number): void } {
    const key = values.join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      const labels = Object.fromEntries(this.labelNames.map((name, i) => [name, values[i]]));
      series = { labels, buckets: new Array<number>(this.upperBounds.length + 1).fill(0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const target = series;
    const bounds = this.upperBounds;
    return {
      observe(value: number) {
        if (!Number.isFinite(value)) return;
        let i = 0;
        while (i < bounds.length && value > bounds[i]) i++;
        target.buckets[i]++;
        target.sum += value;
        target.count++;
      },
    };
  }

  async get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const { labels, buckets, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((bound, i) => {
        cumulative += buckets[i];
        values.push({ labels: { ...labels, le: bound }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...labels, le: '+Inf' }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const series of this.series.values()) {
      series.buckets.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
