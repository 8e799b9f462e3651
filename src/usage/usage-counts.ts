/** What one key did in one minute, as counted in memory between flushes. */
export interface MinuteCounts {
  requests: number;
  errors: number;
  rateLimited: number;
  latencyMs: number;
  /** The actual cost of the minute's requests. */
  cost: number;
  /** Per root field coordinate; created on the first field seen. */
  fields?: Map<string, FieldCounts>;
}

export interface FieldCounts {
  requests: number;
  errors: number;
  cost: number;
}

/** minute (epoch minutes) -> key id -> counts: the current minute's map is the only one touched per request. */
export type PendingUsage = Map<number, Map<string, MinuteCounts>>;

export function emptyCounts(): MinuteCounts {
  return { requests: 0, errors: 0, rateLimited: 0, latencyMs: 0, cost: 0 };
}

/** Adds `from` into `into` (used to put back a batch whose write failed). */
export function mergeCounts(into: MinuteCounts, from: MinuteCounts): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.rateLimited += from.rateLimited;
  into.latencyMs += from.latencyMs;
  into.cost += from.cost;
  if (!from.fields) return;
  into.fields ??= new Map();
  for (const [coordinate, counts] of from.fields) {
    const target = into.fields.get(coordinate);
    if (target) {
      target.requests += counts.requests;
      target.errors += counts.errors;
      target.cost += counts.cost;
    } else {
      into.fields.set(coordinate, { ...counts });
    }
  }
}
