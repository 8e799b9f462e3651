import type { Counter, PlannedCounter } from './budget-types';
import { GROUP_SEPARATOR } from './redis-places';
import { slotOf } from './window-slots';

const MAX_PERIOD_SECONDS = 86_400;

function wholeAtLeast(value: unknown, min: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be an integer of at least ${min}`);
  return value;
}

/**
 * Checks the counters (the caller's bug, not the client's, when one is malformed) and gives
 * each its storage key and, for a window, the slot of `nowMs`.
 */
export function planCounters(counters: readonly Counter[], nowMs: number): PlannedCounter[] {
  return counters.map((c) => {
    const units = wholeAtLeast(c.units, 0, 'units');
    if (typeof c.id !== 'string' || c.id === '') throw new RangeError('a counter needs an id');
    const bar = c.id.indexOf(GROUP_SEPARATOR);
    if (bar === 0 || bar === c.id.length - 1 || c.id.indexOf(GROUP_SEPARATOR, bar + 1) >= 0)
      throw new RangeError(`a counter id is a name or <group>${GROUP_SEPARATOR}<name>`);
    if (c.kind === 'window') {
      const periodSeconds = wholeAtLeast(c.periodSeconds, 1, 'periodSeconds');
      if (periodSeconds > MAX_PERIOD_SECONDS) throw new RangeError(`periodSeconds must be at most ${MAX_PERIOD_SECONDS}`);
      const limit = wholeAtLeast(c.limit, 0, 'limit');
      return { kind: 'window', key: `w:${periodSeconds}:${c.id}`, units, limit, periodSeconds, slot: slotOf(nowMs, periodSeconds) };
    }
    if (c.kind !== 'balance') throw new RangeError('a counter is a window or a balance');
    const initial = c.initial === undefined ? undefined : wholeAtLeast(c.initial, Number.MIN_SAFE_INTEGER, 'initial');
    return { kind: 'balance', key: `b:${c.id}`, units, limit: 0, periodSeconds: 0, slot: 0, initial };
  });
}
