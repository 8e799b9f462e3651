import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { CounterTallies, HotHistogram } from './hot-path-metrics';

/** One registry per app instance, so tests running several apps in one process stay apart. */
export class Metrics {
  readonly registry = new Registry();

  // The four metrics every request touches count in plain numbers (hot-path-metrics.ts); the
  // counters fold them in when the registry reads them.
  readonly httpRequests: Counter<'route' | 'status'> = new Counter({
    name: 'keygate_http_requests_total',
    help: 'HTTP requests by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
    collect: () => this.httpRequestTallies.fold(),
  });
  readonly httpRequestTallies = new CounterTallies(this.httpRequests);

  readonly httpDuration = new HotHistogram(
    'keygate_http_request_duration_seconds',
    'HTTP request duration by route',
    ['route'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    this.registry,
  );

  readonly keyVerifications: Counter<'result'> = new Counter({
    name: 'keygate_key_verifications_total',
    help: 'Client key verifications by result (valid, invalid, expired, revoked)',
    labelNames: ['result'] as const,
    registers: [this.registry],
    collect: () => this.keyVerificationTallies.fold(),
  });
  readonly keyVerificationTallies = new CounterTallies(this.keyVerifications);

  readonly keyCacheLookups: Counter<'result'> = new Counter({
    name: 'keygate_key_cache_lookups_total',
    help: 'Verification cache lookups by result (hit, miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
    collect: () => this.keyCacheLookupTallies.fold(),
  });
  readonly keyCacheLookupTallies = new CounterTallies(this.keyCacheLookups);

  readonly keyCacheHitRatio = new Gauge({
    name: 'keygate_key_cache_hit_ratio',
    help: 'Share of verification cache lookups answered without the database, since start',
    registers: [this.registry],
    collect: async () => {
      const values = (await this.keyCacheLookups.get()).values;
      const hits = values.find((v) => v.labels.result === 'hit')?.value ?? 0;
      const total = values.reduce((sum, v) => sum + v.value, 0);
      this.keyCacheHitRatio.set(total === 0 ? 0 : hits / total);
    },
  });

  readonly rateLimitRefusals = new Counter({
    name: 'keygate_rate_limit_refusals_total',
    help: 'Requests refused by the per-key rate limiter',
    registers: [this.registry],
  });

  readonly rateLimitFallbacks = new Counter({
    name: 'keygate_rate_limit_fallbacks_total',
    help: 'Requests counted by this instance alone because Redis was unreachable',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'keygate_' });
  }
}
