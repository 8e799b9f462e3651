import type { PendingUsage } from './usage-counts';
import { bucketStart, DAY_MS, HOUR_MS, MINUTE_MS } from './usage-periods';

interface UsageRow {
  keyId: string;
  granularity: 'minute' | 'hour' | 'day';
  start: number;
  requests: number;
  errors: number;
  rateLimited: number;
  latencyMs: number;
  cost: number;
}

interface FieldRow {
  keyId: string;
  start: number;
  coordinate: string;
  requests: number;
  errors: number;
  cost: number;
}

/** Column arrays for unnest(): one query parameter per column, whatever the batch size. */
export interface UsageColumns {
  usage: {
    keyIds: string[];
    granularities: string[];
    starts: Date[];
    requests: number[];
    errors: number[];
    rateLimited: number[];
    latencies: number[];
    costs: number[];
  };
  fields: { keyIds: string[]; starts: Date[]; coordinates: string[]; requests: number[]; errors: number[]; costs: number[] };
}

const WIDTHS = [
  ['minute', MINUTE_MS],
  ['hour', HOUR_MS],
  ['day', DAY_MS],
] as const;

/**
 * Turns per-minute counts into rows for every width at once (minute, hour, day; fields by hour):
 * the rollup happens as the counts are written, so no job has to re-read and re-sum them. Rows are
 * unique per conflict target (an upsert may touch a row once) and sorted, so that instances flushing
 * together lock rows in the same order and cannot deadlock.
 */
export function usageRows(batch: PendingUsage): UsageColumns {
  const usage = new Map<string, UsageRow>();
  const fields = new Map<string, FieldRow>();
  for (const [minute, keys] of batch) {
    const at = minute * MINUTE_MS;
    for (const [keyId, counts] of keys) {
      for (const [granularity, width] of WIDTHS) {
        const start = bucketStart(at, width);
        const id = `${keyId} ${granularity} ${start}`;
        const row = usage.get(id);
        if (row) {
          row.requests += counts.requests;
          row.errors += counts.errors;
          row.rateLimited += counts.rateLimited;
          row.latencyMs += counts.latencyMs;
          row.cost += counts.cost;
        } else {
          usage.set(id, {
            keyId,
            granularity,
            start,
            requests: counts.requests,
            errors: counts.errors,
            rateLimited: counts.rateLimited,
            latencyMs: counts.latencyMs,
            cost: counts.cost,
          });
        }
      }
      if (!counts.fields) continue;
      const hour = bucketStart(at, HOUR_MS);
      for (const [coordinate, field] of counts.fields) {
        const id = `${keyId} ${hour} ${coordinate}`;
        const row = fields.get(id);
        if (row) {
          row.requests += field.requests;
          row.errors += field.errors;
          row.cost += field.cost;
        } else {
          fields.set(id, { keyId, start: hour, coordinate, requests: field.requests, errors: field.errors, cost: field.cost });
        }
      }
    }
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const usageSorted = [...usage.values()].sort((a, b) => compare(a.keyId, b.keyId) || compare(a.granularity, b.granularity) || a.start - b.start);
  const fieldsSorted = [...fields.values()].sort((a, b) => compare(a.keyId, b.keyId) || a.start - b.start || compare(a.coordinate, b.coordinate));
  return {
    usage: {
      keyIds: usageSorted.map((r) => r.keyId),
      granularities: usageSorted.map((r) => r.granularity),
      starts: usageSorted.map((r) => new Date(r.start)),
      requests: usageSorted.map((r) => r.requests),
      errors: usageSorted.map((r) => r.errors),
      rateLimited: usageSorted.map((r) => r.rateLimited),
      latencies: usageSorted.map((r) => r.latencyMs),
      costs: usageSorted.map((r) => r.cost),
    },
    fields: {
      keyIds: fieldsSorted.map((r) => r.keyId),
      starts: fieldsSorted.map((r) => new Date(r.start)),
      coordinates: fieldsSorted.map((r) => r.coordinate),
      requests: fieldsSorted.map((r) => r.requests),
      errors: fieldsSorted.map((r) => r.errors),
      costs: fieldsSorted.map((r) => r.cost),
    },
  };
}
