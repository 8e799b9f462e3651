import { BadUserInputError } from '../errors/app-errors';
import { UsageInterval } from './usage-interval';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const INTERVAL_MS: Record<UsageInterval, number> = {
  [UsageInterval.MINUTE]: MINUTE_MS,
  [UsageInterval.HOUR]: HOUR_MS,
  [UsageInterval.DAY]: DAY_MS,
};

/** The `granularity` column's value for each interval. */
export const GRANULARITY: Record<UsageInterval, 'minute' | 'hour' | 'day'> = {
  [UsageInterval.MINUTE]: 'minute',
  [UsageInterval.HOUR]: 'hour',
  [UsageInterval.DAY]: 'day',
};

/** A chart of 24 hours by minute fits; a month by minute does not (ask by hour). */
export const MAX_BUCKETS = 2000;

/** The UTC start of the bucket holding `ms` (epoch milliseconds; whole days since 1970 are UTC days). */
export function bucketStart(ms: number, width: number): number {
  return Math.floor(ms / width) * width;
}

export interface Period {
  /** Aligned down to the interval. */
  from: number;
  /** Exclusive. */
  until: number;
}

function checkDate(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new BadUserInputError(field, 'must be a date-time');
  return ms;
}

/** `since` to `until` (default now), aligned to the interval, refused when empty, reversed or too fine for its length. */
export function checkPeriod(since: Date, until: Date | null | undefined, width: number, now = Date.now()): Period {
  const sinceMs = checkDate(since, 'since');
  const untilMs = until == null ? now : checkDate(until, 'until');
  if (untilMs <= sinceMs) throw new BadUserInputError('until', 'must be later than since');
  const from = bucketStart(sinceMs, width);
  if ((untilMs - from) / width > MAX_BUCKETS) {
    throw new BadUserInputError('since', `the period spans more than ${MAX_BUCKETS} buckets: choose a wider interval or a later since`);
  }
  return { from, until: untilMs };
}
