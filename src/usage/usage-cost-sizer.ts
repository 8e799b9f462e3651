import type { CostSizer } from '../cost/cost-plan';
import { UsageInterval } from './usage-interval';
import { bucketStart, INTERVAL_MS, MAX_BUCKETS } from './usage-periods';

/** A DateTime as written (ISO-8601 text) or already parsed; anything else is unreadable here (execution judges it). */
function time(value: unknown): number {
  return value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
}

/**
 * `ClientKey.usage` returns one bucket per interval from `since` (rounded down) to `until`
 * (default now): its length follows from those arguments, so the estimate counts exactly the
 * buckets the resolver will return (at least 1; at most the 2,000 it ever answers).
 */
export const usageBucketsSizer: CostSizer = (args, now) => {
  const width = INTERVAL_MS[(args.interval ?? UsageInterval.HOUR) as UsageInterval] as number | undefined;
  const since = time(args.since);
  const until = args.until == null ? now : time(args.until);
  if (!width || !Number.isFinite(since) || !Number.isFinite(until)) return undefined;
  const buckets = Math.ceil((until - bucketStart(since, width)) / width);
  return Math.min(MAX_BUCKETS, Math.max(1, buckets));
};

/** Keygate's own lists sized from their arguments, by coordinate (for buildCostModel's `sizers`). */
export const USAGE_COST_SIZERS: ReadonlyMap<string, CostSizer> = new Map([['ClientKey.usage', usageBucketsSizer]]);
