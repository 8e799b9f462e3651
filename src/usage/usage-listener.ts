import type { UsageRecorder } from './usage-recorder';

/** What usage needs of a finished GraphQL request: the shape of the request pipeline's outcome. */
export interface FinishedRequest {
  principal?: { kind: string; id: string };
  /** Root fields as coordinates (`Query.viewer`), one per response key (duplicates possible). */
  rootFields: readonly string[];
  /** The response's errors, as objects. */
  errors: readonly unknown[];
  rateLimited: boolean;
  latencyMs: number;
}

function responseKeyOf(error: unknown): string | undefined {
  const path = (error as { path?: ReadonlyArray<string | number> } | null)?.path;
  return typeof path?.[0] === 'string' ? path[0] : undefined;
}

/**
 * Usage from a pipeline that reports each finished request (its `onRequestDone`): the request is
 * counted for a client key only; `errors` are those other than the rate limit's refusal. A field
 * failed when an error's path starts at it (matched by name: an aliased field's errors count for
 * the request, not for the field).
 */
export function usageListener(recorder: UsageRecorder, codeOf: (error: unknown) => string | undefined) {
  return (request: FinishedRequest): void => {
    if (request.principal?.kind !== 'CLIENT_KEY') return;
    let errored = false;
    let failed: Set<string> | undefined;
    const coordinates = new Set(request.rootFields);
    for (const error of request.errors) {
      if (codeOf(error) === 'RATE_LIMITED') continue;
      errored = true;
      const key = responseKeyOf(error);
      if (key === undefined) continue;
      for (const coordinate of coordinates) {
        if (coordinate.endsWith(`.${key}`)) (failed ??= new Set()).add(coordinate);
      }
    }
    recorder.record({
      keyId: request.principal.id,
      at: Date.now(),
      latencyMs: request.latencyMs,
      errored,
      rateLimited: request.rateLimited,
      coordinates,
      failedCoordinates: failed,
    });
  };
}
