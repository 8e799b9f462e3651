import { performance } from 'node:perf_hooks';
import type { UsageRecorder } from './usage-recorder';

/**
 * One client-key request's usage while it runs: the root fields it touches are noted as they
 * resolve, and `finish` reports it once (later calls are ignored), however the request ends.
 */
export class RequestUsage {
  private readonly started = performance.now();
  private coordinates?: Set<string>;
  /** Response key -> coordinate, to attribute the actual cost of each root field. */
  private keys?: Map<string, string>;
  private failed?: Set<string>;
  private finished = false;

  constructor(
    private readonly recorder: UsageRecorder,
    readonly keyId: string,
  ) {}

  /** A root field began resolving. A set: an operation run twice (a prepared query's retry) counts once. */
  field(coordinate: string, responseKey?: string): void {
    (this.coordinates ??= new Set()).add(coordinate);
    if (responseKey !== undefined) (this.keys ??= new Map()).set(responseKey, coordinate);
  }

  fieldFailed(coordinate: string): void {
    (this.failed ??= new Set()).add(coordinate);
  }

  /**
   * `errored`: the response carries an error other than a rate-limit refusal;
   * `rateLimited`: one of the key's budgets refused it; `used`: its actual cost, by root field's response key too.
   */
  finish(errored: boolean, rateLimited = false, used?: { cost: number; byRootField?: ReadonlyMap<string, number> }): void {
    if (this.finished) return;
    this.finished = true;
    let fieldCosts: Map<string, number> | undefined;
    if (used?.byRootField && this.keys) {
      fieldCosts = new Map();
      for (const [key, cost] of used.byRootField) {
        const coordinate = this.keys.get(key);
        if (coordinate !== undefined) fieldCosts.set(coordinate, (fieldCosts.get(coordinate) ?? 0) + cost);
      }
    }
    this.recorder.record({
      keyId: this.keyId,
      at: Date.now(),
      latencyMs: performance.now() - this.started,
      errored,
      rateLimited,
      coordinates: this.coordinates,
      failedCoordinates: this.failed,
      cost: used?.cost ?? 0,
      fieldCosts,
    });
  }
}
