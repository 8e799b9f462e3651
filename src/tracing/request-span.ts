import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';

/**
 * The request's server span, kept on the request itself by the HTTP instrumentation's hook
 * (start-tracing.ts). Reaching it through the request rather than the active context keeps it
 * found across every await, and with tracing off nothing is ever stored: each call below is one
 * missing-property read, and no OpenTelemetry module is loaded (types only are imported here).
 */
const SPAN = Symbol('keygate.requestSpan');

type Traced = IncomingMessage & { [SPAN]?: Span };

/** The phases of a GraphQL request (http/graphql-handler.ts), each marked as it begins. */
export type RequestPhase = 'read' | 'authenticate' | 'admit' | 'execute' | 'settle' | 'respond' | 'record';

/** Span attributes Keygate adds to a request's span; none carries a secret or a value the client wrote freely. */
export const TRACE_ATTRIBUTES = {
  keyPrefix: 'keygate.key_prefix',
  operationName: 'graphql.operation.name',
  costEstimated: 'keygate.cost.estimated',
  costActual: 'keygate.cost.actual',
} as const;

export type TraceAttribute = (typeof TRACE_ATTRIBUTES)[keyof typeof TRACE_ATTRIBUTES];

export function attachRequestSpan(req: IncomingMessage, span: Span): void {
  (req as Traced)[SPAN] = span;
}

/** Adds a `phase` event to the request's span (nothing when tracing is off). */
export function markPhase(req: IncomingMessage, phase: RequestPhase): void {
  const span = (req as Traced)[SPAN];
  if (span !== undefined) span.addEvent(phase);
}

/** Sets one of TRACE_ATTRIBUTES on the request's span (nothing when tracing is off or the value is absent). */
export function traceAttribute(req: IncomingMessage, name: TraceAttribute, value: string | number | undefined | null): void {
  const span = (req as Traced)[SPAN];
  if (span !== undefined && value !== undefined && value !== null) span.setAttribute(name, value);
}
