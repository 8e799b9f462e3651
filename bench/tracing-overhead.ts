import http, { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { markPhase, TRACE_ATTRIBUTES, traceAttribute } from '../src/tracing/request-span';
import { cpuSeconds, startServer } from './spawn-server';

/**
 * What tracing costs when it is off, and when it is on (`npm run build:tools && node
 * dist/bench/tracing-overhead.js`). Two measures:
 *  1. in process: the request path's tracing calls with no span, as Keygate makes them per request;
 *  2. the bench's Keygate server, each one loaded alone and in turns: without tracing's preload,
 *     with it and no exporter set (off, as `npm start` runs without OTEL_*), and with it exporting
 *     to an OTLP sink in this process (on, every request sampled).
 * Figures are server CPU per request, the steadiest measure on a shared machine (see RESULTS.md).
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BODY = JSON.stringify({ query: '{ viewer { kind id scopes keyPrefix } }' });
const REGISTER = path.join(__dirname, '..', 'src', 'tracing', 'register.js');
/** The graphql handler's tracing calls per request: five phases and two attributes today, seven phases with admit and settle. */
const CALLS_PER_REQUEST = 9;

function offCallNanos(): number {
  const req = new IncomingMessage(new Socket());
  const run = (n: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      markPhase(req, 'execute');
      traceAttribute(req, TRACE_ATTRIBUTES.operationName, 'Op');
    }
    return Number(process.hrtime.bigint() - started) / (2 * n);
  };
  run(1_000_000);
  return Math.min(run(5_000_000), run(5_000_000));
}

async function cpuMicrosPerRequest(port: number, pid: number, key: string): Promise<{ rps: number; cpu: number }> {
  const load = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}/graphql`,
      method: 'POST',
      connections: CONNECTIONS,
      duration,
      headers: { 'content-type': 'application/json', 'x-client-key': key },
      body: BODY,
    });
  await load(2);
  const before = cpuSeconds(pid);
  const result = await load(DURATION);
  if (result.errors + result.non2xx > 0) throw new Error(`${result.errors + result.non2xx} failed requests`);
  return { rps: result.requests.average, cpu: ((cpuSeconds(pid) - before) / result.requests.total) * 1e6 };
}

/** An OTLP/HTTP endpoint that accepts every batch (the on row's collector). */
async function startSink(): Promise<{ url: string; bytes: () => number; close(): void }> {
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bytes: () => bytes, close: () => server.close() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const nanos = offCallNanos();
  const sink = await startSink();
  const rows = {
    'no tracing preload': [] as number[],
    'tracing off (preloaded, no OTEL_*)': [] as number[],
    'tracing on (OTLP to a local sink)': [] as number[],
  };
  const rps: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const servers = {
      'no tracing preload': await startServer('keygate'),
      'tracing off (preloaded, no OTEL_*)': await startServer('keygate', {}, ['-r', REGISTER]),
      'tracing on (OTLP to a local sink)': await startServer('keygate', { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }, ['-r', REGISTER]),
    };
    const names = Object.keys(servers) as Array<keyof typeof servers>;
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const server = servers[name];
      const figures = await cpuMicrosPerRequest(server.port, server.pid, String(server.info.key));
      rows[name].push(figures.cpu);
      (rps[name] ??= []).push(figures.rps);
    }
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  sink.close();
  const baseline = median(rows['no tracing preload']);
  console.log(`| Keygate, client key, \`{ viewer { ... } }\` (median of ${ROUNDS} rounds) | req/s | server CPU µs/req | vs no preload |`);
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, cpu] of Object.entries(rows))
    console.log(
      `| ${name} | ${Math.round(median(rps[name])).toLocaleString('en')} | ${median(cpu).toFixed(0)} | ${((median(cpu) / baseline - 1) * 100).toFixed(1)}% |`,
    );
  console.log('');
  for (const [name, cpu] of Object.entries(rows)) console.log(`  ${name}, each round: ${cpu.map((c) => c.toFixed(0)).join(', ')} CPU µs/req`);
  const perRequest = (nanos * CALLS_PER_REQUEST) / 1000;
  console.log(
    `\nOff, the request path's tracing calls: ${nanos.toFixed(1)} ns each, ${CALLS_PER_REQUEST} per request = ${perRequest.toFixed(3)} µs, ${((perRequest / baseline) * 100).toFixed(3)}% of a request's ${baseline.toFixed(0)} µs`,
  );
  process.exit(0);
}
void main();
