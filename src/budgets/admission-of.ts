import type { Admission, BudgetTicket, CounterReading, CounterState, PlannedCounter } from './budget-types';
import { slotLeaves, slotStartMs, wholeSecondsUntil } from './window-slots';

const NOTHING_CHARGED: BudgetTicket = { entries: [] };

/** The verdict both stores give from what they read: the same arithmetic for Redis and memory. */
export function admissionOf(plan: readonly PlannedCounter[], readings: readonly CounterReading[], nowMs: number, charge: boolean): Admission {
  let missing: number[] | undefined;
  let refusedIndex: number | undefined;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i];
    if (r.missing) (missing ??= []).push(i);
    else if (r.fit !== 0 && refusedIndex === undefined) refusedIndex = i;
  }
  const admitted = refusedIndex === undefined && missing === undefined;
  const charged = admitted && charge;
  const states = new Array<CounterState>(plan.length);
  for (let i = 0; i < plan.length; i++) states[i] = stateOf(plan[i], readings[i], nowMs, charged);
  const admission: Admission = { admitted, states, ticket: charged ? ticketOf(plan) : NOTHING_CHARGED };
  if (refusedIndex !== undefined) {
    admission.refusedIndex = refusedIndex;
    const p = plan[refusedIndex];
    const fit = readings[refusedIndex].fit;
    if (p.kind === 'window') admission.retryAfterSeconds = fit === -1 ? p.periodSeconds : wholeSecondsUntil(slotStartMs(fit, p.periodSeconds) - nowMs);
  }
  if (missing) admission.missing = missing;
  return admission;
}

function stateOf(p: PlannedCounter, r: CounterReading, nowMs: number, charged: boolean): CounterState {
  const spent = charged ? p.units : 0;
  if (p.kind === 'balance') return { remaining: r.missing ? 0 : Math.max(0, r.value - spent), resetSeconds: 0 };
  const newest = spent > 0 ? Math.max(r.newest, p.slot) : r.newest;
  return {
    remaining: Math.max(0, p.limit - r.value - spent),
    resetSeconds: newest < 0 ? 0 : wholeSecondsUntil(slotStartMs(slotLeaves(newest), p.periodSeconds) - nowMs),
  };
}

function ticketOf(plan: readonly PlannedCounter[]): BudgetTicket {
  // A planned counter holds what a ticket entry does (kind, key, slot, units): no copy per request.
  return { entries: plan };
}
