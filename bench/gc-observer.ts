import { PerformanceObserver } from 'node:perf_hooks';

/**
 * Preloaded (`--require`) into every server the benchmarks start, whatever its build: the time V8
 * spent collecting garbage so far, printed as `{"gcMs": n}` on SIGHUP. A request that keeps young
 * objects alive longer shows here long before it shows in req/s (a closure kept on the request's
 * outcome once made each scavenge three times as long, and cost about 20% of the CPU per request).
 */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
process.on('SIGHUP', () => console.log(JSON.stringify({ gcMs })));
