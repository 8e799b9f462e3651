import { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_HTTP_ROUTE, ATTR_SERVICE_NAME, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';
import { attachRequestSpan } from './request-span';

/** Probes and scrapes: frequent, cheap, and noise in every trace view. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The request's path, without its query string. */
function pathOf(url: string | undefined): string {
  const end = url?.indexOf('?') ?? -1;
  return end === -1 ? (url ?? '/') : url!.slice(0, end);
}

/**
 * GraphQL over GET carries the query and its variables in the URL: they are client-written values
 * (a variable may hold a password), so only the parameters' names are kept.
 */
function redactedQuery(url: string | undefined): string | undefined {
  const start = url?.indexOf('?') ?? -1;
  if (start === -1) return undefined;
  const names = [...new URLSearchParams(url!.slice(start + 1)).keys()];
  return names.map((name) => `${encodeURIComponent(name)}=REDACTED`).join('&');
}

function onServerRequest(span: Span, request: IncomingMessage): void {
  const path = pathOf(request.url);
  if (path === '/graphql') {
    span.setAttribute(ATTR_HTTP_ROUTE, path);
    span.updateName(`${request.method} ${path}`);
  }
  const query = redactedQuery(request.url);
  if (query !== undefined) span.setAttribute(ATTR_URL_QUERY, query);
  attachRequestSpan(request, span);
}

export interface Tracing {
  /** Exports what is still buffered, then stops; called on shutdown so the last spans are not lost. */
  shutdown(): Promise<void>;
}

/**
 * Registers the tracer provider and the http, undici and pg instrumentations. Must run before
 * those modules are first required (tracing/register.ts, the first import of main.ts): the pg
 * instrumentation patches the module as it loads. The exporter, sampler and span limits read
 * the standard OTEL_* variables themselves (OTEL_EXPORTER_OTLP_*, OTEL_TRACES_SAMPLER[_ARG],
 * OTEL_BSP_*); the resource reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
 */
export function startTracing(): Tracing {
  // The env detector's attributes win over the default name (merge: the argument's attributes override).
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'keygate' }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.url)),
        // Keygate's own outgoing HTTP goes through undici; node:http clients here are libraries' (none on the request path).
        requireParentforOutgoingSpans: true,
        requestHook: (span, request) => {
          if (request instanceof IncomingMessage) onServerRequest(span, request);
        },
      }),
      new UndiciInstrumentation(),
      // Parameter values stay out (enhancedDatabaseReporting off): they include key hashes and emails.
      // Queries outside a request (usage writes, pruning, the listener's heartbeat) are traces of their own.
      new PgInstrumentation({ enhancedDatabaseReporting: false, ignoreConnectSpans: true }),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
