import type { UsageInterval } from './generated/graphql';

export interface UsageRange {
  id: '24h' | '7d' | '30d';
  label: string;
  hours: number;
  interval: UsageInterval;
}

export const RANGES: UsageRange[] = [
  { id: '24h', label: '24 hours', hours: 24, interval: 'HOUR' },
  { id: '7d', label: '7 days', hours: 24 * 7, interval: 'HOUR' },
  { id: '30d', label: '30 days', hours: 24 * 30, interval: 'DAY' },
];

const STEP_MS: Record<UsageInterval, number> = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

export interface Point {
  start: number;
  requests: number;
  errors: number;
  rateLimited: number;
  cost: number;
}

/** The window a range covers, ending now and starting on an interval boundary (UTC). */
export function windowOf(range: UsageRange, now = Date.now()): { since: string; until: string } {
  const step = STEP_MS[range.interval];
  const since = Math.floor((now - range.hours * 3_600_000) / step + 1) * step;
  return { since: new Date(since).toISOString(), until: new Date(now).toISOString() };
}

/**
 * Every interval of the window, with zeros where the server sent no bucket (quiet periods have none),
 * so that the chart's x axis is time and not "buckets that happened to exist".
 */
export function fillSeries(
  buckets: ReadonlyArray<{ start: string; requests: number; errors?: number; rateLimited?: number; cost?: number }>,
  since: string,
  until: string,
  interval: UsageInterval,
): Point[] {
  const step = STEP_MS[interval];
  const byStart = new Map<number, Point>();
  for (const bucket of buckets) {
    const start = Math.floor(Date.parse(bucket.start) / step) * step;
    const point = byStart.get(start) ?? { start, requests: 0, errors: 0, rateLimited: 0, cost: 0 };
    point.requests += bucket.requests;
    point.errors += bucket.errors ?? 0;
    point.rateLimited += bucket.rateLimited ?? 0;
    point.cost += bucket.cost ?? 0;
    byStart.set(start, point);
  }
  const points: Point[] = [];
  const first = Math.floor(Date.parse(since) / step) * step;
  const last = Math.floor(Date.parse(until) / step) * step;
  for (let start = first; start <= last; start += step) points.push(byStart.get(start) ?? { start, requests: 0, errors: 0, rateLimited: 0, cost: 0 });
  return points;
}

export function totals(points: Point[]): Omit<Point, 'start'> {
  return points.reduce(
    (sum, p) => ({ requests: sum.requests + p.requests, errors: sum.errors + p.errors, rateLimited: sum.rateLimited + p.rateLimited, cost: sum.cost + p.cost }),
    { requests: 0, errors: 0, rateLimited: 0, cost: 0 },
  );
}
