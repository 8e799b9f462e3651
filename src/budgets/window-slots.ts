/**
 * A window of P seconds is cut into SLOTS slots. A charge in slot c counts slots c-SLOTS..c:
 * that span always covers the whole last period (plus at most one slot), so no span of P ever
 * holds more than the limit, and a request is at worst refused one slot (1/SLOTS of P) early.
 */
export const SLOTS = 60;

export function slotOf(nowMs: number, periodSeconds: number): number {
  return Math.floor((nowMs * SLOTS) / (periodSeconds * 1000));
}

export function slotStartMs(slot: number, periodSeconds: number): number {
  return (slot * periodSeconds * 1000) / SLOTS;
}

/** The first slot that no longer counts `slot`. */
export function slotLeaves(slot: number): number {
  return slot + SLOTS + 1;
}

export function wholeSecondsUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The slot from which `units` more fit under `limit`, given the slots counted now (oldest
 * dropping out first); -1 when they never fit. The same rule as the Redis script's.
 */
export function fitSlot(counted: Array<[slot: number, units: number]>, used: number, units: number, limit: number): number {
  if (units > limit) return -1;
  counted.sort((a, b) => a[0] - b[0]);
  let left = used;
  for (const [slot, n] of counted) {
    left -= n;
    if (left + units <= limit) return slotLeaves(slot);
  }
  return -1;
}
