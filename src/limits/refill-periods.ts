import type { RefillSpec } from './limit-spec';

const DAY_MS = 86_400_000;

function monthlyStart(year: number, month: number, day: number): number {
  // Short months refill on their last day.
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(day, last));
}

/** When the refill period holding `now` began (00:00 UTC of the day, or of the month's refill day). */
export function periodStart(refill: RefillSpec, now: number): number {
  if (refill.interval === 'DAILY') return Math.floor(now / DAY_MS) * DAY_MS;
  const date = new Date(now);
  const day = refill.dayOfMonth ?? 1;
  const thisMonth = monthlyStart(date.getUTCFullYear(), date.getUTCMonth(), day);
  return thisMonth <= now ? thisMonth : monthlyStart(date.getUTCFullYear(), date.getUTCMonth() - 1, day);
}

/** When the next refill happens. */
export function nextRefill(refill: RefillSpec, now: number): number {
  if (refill.interval === 'DAILY') return periodStart(refill, now) + DAY_MS;
  const date = new Date(periodStart(refill, now));
  return monthlyStart(date.getUTCFullYear(), date.getUTCMonth() + 1, refill.dayOfMonth ?? 1);
}

/** Whether credits last refilled at `refilledAt` are due to be set back to the refill amount. */
export function refillDue(refill: RefillSpec | null, refilledAt: Date | null, now: number): boolean {
  return refill !== null && (refilledAt === null || refilledAt.getTime() < periodStart(refill, now));
}

/** Names the period a balance belongs to, so a refill starts a fresh balance everywhere at once. */
export function periodTag(refill: RefillSpec | null, now: number): string {
  return refill ? String(periodStart(refill, now)) : '0';
}
