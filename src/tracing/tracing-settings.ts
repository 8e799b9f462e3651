/**
 * Whether OpenTelemetry tracing runs, decided from the standard OTEL_* variables alone (read before
 * anything else loads, so not through config.ts). Off unless an exporter is asked for: an operator
 * who sets nothing pays nothing.
 */
export type TracingSettings = { enabled: false } | { enabled: true };

/** A tracing variable Keygate cannot honour; start-up stops with this one line. */
export class TracingConfigError extends Error {
  override name = 'TracingConfigError';
}

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/** The value as the operator wrote it, quoted; a URL's password is masked (as config.ts does). */
function quoted(env: NodeJS.ProcessEnv, name: string): string {
  return `(got ${JSON.stringify((env[name] ?? '').replace(/(\/\/[^/@:\s]*:)[^@\s]*@/, '$1***@'))})`;
}

function given(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function tracingSettings(env: NodeJS.ProcessEnv): TracingSettings {
  if (given(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { enabled: false };

  const exporters = given(env, 'OTEL_TRACES_EXPORTER')
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of exporters ?? [])
    if (name !== 'otlp' && name !== 'none')
      throw new TracingConfigError(`OTEL_TRACES_EXPORTER must be "otlp" or "none" ${quoted(env, 'OTEL_TRACES_EXPORTER')}`);
  const endpoint = given(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? given(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  // An explicit "none" wins over an endpoint left in the environment by a shared deployment file.
  const enabled = exporters && exporters.length > 0 ? exporters.includes('otlp') : endpoint !== undefined;
  if (!enabled) return { enabled: false };

  // Only OTLP over HTTP with JSON is installed; a collector set up for protobuf or gRPC would
  // otherwise drop every batch with nothing said at start-up.
  const protocol = given(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? given(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol !== undefined && protocol !== 'http/json') {
    const name = given(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    throw new TracingConfigError(`${name} must be "http/json" (the only OTLP protocol Keygate sends) ${quoted(env, name)}`);
  }
  const sampler = given(env, 'OTEL_TRACES_SAMPLER');
  if (sampler !== undefined && !SAMPLERS.includes(sampler))
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')} ${quoted(env, 'OTEL_TRACES_SAMPLER')}`);
  const ratio = given(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (ratio !== undefined && sampler?.endsWith('traceidratio')) {
    const value = Number(ratio);
    if (!Number.isFinite(value) || value < 0 || value > 1)
      throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 ${quoted(env, 'OTEL_TRACES_SAMPLER_ARG')}`);
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    const url = given(env, name);
    if (url !== undefined && !/^https?:\/\/[^/]/i.test(url)) throw new TracingConfigError(`${name} must be an http(s) URL ${quoted(env, name)}`);
  }
  return { enabled: true };
}
