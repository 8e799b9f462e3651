import type { Tracing } from './start-tracing';
import { TracingConfigError, tracingSettings } from './tracing-settings';

/**
 * Imported first by main.ts, for its side effect: decides from OTEL_* whether to trace and, only
 * then, loads the SDK and patches http, undici and pg before anything else requires them. With
 * tracing off no OpenTelemetry module is loaded at all.
 */
let tracing: Tracing | undefined;

try {
  if (tracingSettings(process.env).enabled) {
    // A synchronous, conditional load: an import statement would load the SDK even when off.
    const { startTracing } = require('./start-tracing') as typeof import('./start-tracing');
    tracing = startTracing();
  }
} catch (err) {
  if (!(err instanceof TracingConfigError)) throw err;
  // The same shape as config.ts's errors: one line naming the variable and quoting its value.
  process.stderr.write(`Invalid configuration: ${err.message}\n`);
  process.exit(1);
}

/** Flushes and stops tracing (nothing when off). */
export async function stopTracing(): Promise<void> {
  await tracing?.shutdown();
}
