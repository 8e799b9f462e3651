import { performance } from 'node:perf_hooks';
import type { UsageRecorder } from './usage-recorder';

/**
 * One client-key request's usage while it runs: the root fields it touches are noted as they
 * resolve, and `finish` reports it once (later calls are ignored), however the request ends.
 */
export class RequestUsage {
  private readonly started = performance.now();
  private coordinates?: Set<string>;
  private failed?: Set<string>;
  private finished = false;

  constructor(
    private readonly recorder: UsageRecorder,
    readonly keyId: string,
  ) {}

  /** A root field began resolving. A set: an operation run twice (a prepared query's retry) counts once. */
  field(coordinate: string): void {
    (this.coordinates ??= new Set()).add(coordinate);
  }

  fieldFailed(coordinate: string): void {
    (this.failed ??= new Set()).add(coordinate);
  }

  /**
   * `errored`: the response carries an error other than a rate-limit refusal;
   * `rateLimited`: the rate limit refused (all or part of) it.
   */
  finish(errored: boolean, rateLimited = false): void {
    if (this.finished) return;
    this.finished = true;
    this.recorder.record({
      keyId: this.keyId,
      at: Date.now(),
      latencyMs: performance.now() - this.started,
      errored,
      rateLimited,
      coordinates: this.coordinates,
      failedCoordinates: this.failed,
    });
  }
}
