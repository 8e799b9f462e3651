import type { Counter, PlannedCounter } from './budget-types';
import { GROUP_SEPARATOR } from './redis-places';

const MAX_PERIOD_SECONDS = 86_400;

function wholeAtLeast(value: unknown, min: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be an integer of at least ${min}`);
  return value;
}

/** Storage keys by counter id, made and checked once: a key's requests name the same counters every time. */
const keys = new Map<string, { periodSeconds: number; key: string }>();
const MAX_KEYS = 100_000;

/**
 * A counter's storage key. The same string every time, so that the stores' maps find it without
 * hashing a new string per request; the id's form is checked when the key is first made.
 */
function keyOf(id: string, periodSeconds: number, kind: 'window' | 'balance'): string {
  const known = keys.get(id);
  if (known && known.periodSeconds === periodSeconds) return known.key;
  if (typeof id !== 'string' || id === '') throw new RangeError('a counter needs an id');
  const bar = id.indexOf(GROUP_SEPARATOR);
  if (bar === 0 || bar === id.length - 1 || id.indexOf(GROUP_SEPARATOR, bar + 1) >= 0)
    throw new RangeError(`a counter id is a name or <group>${GROUP_SEPARATOR}<name>`);
  const key = kind === 'window' ? `w:${periodSeconds}:${id}` : `b:${id}`;
  // Bounded: ids that stopped coming are forgotten wholesale, then made again when they return.
  if (keys.size >= MAX_KEYS) keys.clear();
  keys.set(id, { periodSeconds, key });
  return key;
}

/**
 * Both kinds as one class: the stores' loops see one shape. A class rather than object literals:
 * V8 decides per literal whether to allocate its objects straight in the old space (they outlived
 * young collections while the young space was small, at start-up), and then kept doing so;
 * measured under load, the literals cost about 4 µs per request and the class a few tenths.
 */
class Planned implements PlannedCounter {
  slot = 0;

  constructor(
    readonly kind: 'window' | 'balance',
    readonly key: string,
    readonly units: number,
    readonly limit: number,
    readonly periodSeconds: number,
    public initial: number | undefined,
  ) {}
}

/**
 * Checks the counters (the caller's bug, not the client's, when one is malformed) and gives
 * each its storage key. A window's slot is left to the store: it is the time of the decision
 * (a Redis batch's, or this instance's at the turn's end), not of the request's arrival.
 */
export function planCounters(counters: readonly Counter[]): PlannedCounter[] {
  const planned = new Array<PlannedCounter>(counters.length);
  for (let i = 0; i < counters.length; i++) {
    const c = counters[i];
    const units = wholeAtLeast(c.units, 0, 'units');
    if (c.kind === 'window') {
      const periodSeconds = wholeAtLeast(c.periodSeconds, 1, 'periodSeconds');
      if (periodSeconds > MAX_PERIOD_SECONDS) throw new RangeError(`periodSeconds must be at most ${MAX_PERIOD_SECONDS}`);
      const limit = wholeAtLeast(c.limit, 0, 'limit');
      planned[i] = new Planned('window', keyOf(c.id, periodSeconds, 'window'), units, limit, periodSeconds, undefined);
      continue;
    }
    if (c.kind !== 'balance') throw new RangeError('a counter is a window or a balance');
    const initial = c.initial === undefined ? undefined : wholeAtLeast(c.initial, Number.MIN_SAFE_INTEGER, 'initial');
    planned[i] = new Planned('balance', keyOf(c.id, 0, 'balance'), units, 0, 0, initial);
  }
  return planned;
}
