import { Counter, Histogram, Registry } from 'prom-client';
import { CounterTallies, HotHistogram } from '../../src/metrics/hot-path-metrics';

/** The exposition's sample lines as `name{sorted labels} value`, so label order does not matter. */
function samples(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([^{ ]+)(?:\{([^}]*)\})? (.+)$/.exec(line)!;
      const labels = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
      return `${match[1]}{${labels}} ${Number(match[3])}`;
    })
    .sort();
}

/** A counter wired as Metrics wires its own (tallies folded in by its collect hook), with a `hit` child. */
function talliedCounter() {
  const registry = new Registry();
  const tallies: { current?: CounterTallies<'result'> } = {};
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['result'], registers: [registry], collect: () => tallies.current!.fold() });
  tallies.current = new CounterTallies(counter);
  return { registry, counter, hit: tallies.current.child({ result: 'hit' }) };
}

describe('hot-path metrics', () => {
  it('a HotHistogram reads exactly as prom-client’s Histogram fed the same observations', async () => {
    const buckets = [0.001, 0.01, 0.1, 1];
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['route'], buckets, registers: [theirs] });
    const hot = new HotHistogram('h_seconds', 'h', ['route'], buckets, ours);
    const observations: Array<[string, number]> = [
      ['graphql', 0.0004],
      ['graphql', 0.001], // on a bound: counted in that bucket (le is "less than or equal")
      ['graphql', 0.05],
      ['healthz', 3],
      ['graphql', 0.5],
      ['graphql', Number.NaN], // prom-client throws on it; ours drops it: neither counts it
    ];
    const children = new Map<string, { observe(v: number): void }>();
    for (const [route, value] of observations) {
      if (!children.has(route)) children.set(route, hot.labels(route));
      children.get(route)!.observe(value);
      if (Number.isFinite(value)) reference.labels(route).observe(value);
    }
    expect(samples(await ours.metrics())).toEqual(samples(await theirs.metrics()));
    expect(await ours.metrics()).toContain('# TYPE h_seconds histogram');
  });

  it('counter tallies reach the counter when it is read, and only once', async () => {
    const { registry, counter, hit } = talliedCounter();
    for (let i = 0; i < 5; i++) hit.inc();
    counter.inc({ result: 'miss' }); // the rare paths may still count on the counter itself
    expect(samples(await registry.metrics())).toEqual(['c_total{result="hit"} 5', 'c_total{result="miss"} 1']);
    hit.inc(2);
    expect(samples(await registry.metrics())).toEqual(['c_total{result="hit"} 7', 'c_total{result="miss"} 1']);
  });

  it('a tally refuses to count down at once, and a reset of its counter forgets what was waiting', async () => {
    const { registry, hit } = talliedCounter();
    expect(() => hit.inc(-1)).toThrow(TypeError);
    expect(() => hit.inc(Number.NaN)).toThrow(TypeError);
    hit.inc(3);
    registry.resetMetrics();
    hit.inc();
    expect(samples(await registry.metrics())).toEqual(['c_total{result="hit"} 1']);
  });
});
