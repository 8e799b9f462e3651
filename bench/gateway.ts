import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { Principal } from '../src/identity/principal';
import { UserRole } from '../src/identity/user-role';
import { IdentityTokens } from '../src/upstreams/identity-tokens';
import { type BenchServer, cpuSeconds, startServer } from './spawn-server';

/**
 * `npm run bench` (gateway part): one small upstream query answered, in one run, by the upstream
 * itself, by Keygate with a client key, by Hive Gateway and by @apollo/gateway, each server in its
 * own process, taking turns for several rounds; medians are reported and written to RESULTS.md.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

const QUERY = JSON.stringify({ query: '{ products { id name price } }' });
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const RESULTS = path.join(__dirname, '..', '..', 'bench', 'RESULTS.md');
const START = '<!-- gateway-bench:start -->';
const END = '<!-- gateway-bench:end -->';

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  cpuMicros: number;
}

async function load(port: number, headers: Record<string, string>, duration: number, pid: number): Promise<Figures> {
  const before = cpuSeconds(pid);
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/json', ...headers },
    body: QUERY,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failures: r.errors + r.non2xx,
    cpuMicros: ((cpuSeconds(pid) - before) / r.requests.total) * 1e6,
  };
}

/** p50 of one request at a time, to two servers in turn so that both see the same machine. */
async function oneConnectionLatencies(
  a: { port: number; headers: Record<string, string> },
  b: { port: number; headers: Record<string, string> },
  n = 3000,
): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  const once = async (port: number, headers: Record<string, string>) => {
    const started = process.hrtime.bigint();
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: QUERY });
    await res.arrayBuffer();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (let i = 0; i < n; i++) {
    const ta = await once(a.port, a.headers);
    const tb = await once(b.port, b.headers);
    if (i >= n / 10) {
      times[0].push(ta);
      times[1].push(tb);
    }
  }
  const p50 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return [p50(times[0]), p50(times[1])];
}

async function checkAnswer(port: number, headers: Record<string, string>, name: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: QUERY });
  const body = (await res.json()) as { data?: { products?: unknown[] } };
  if (body.data?.products?.length !== 5) throw new Error(`${name} did not answer the query: ${JSON.stringify(body)}`);
}

/** A warm identity token: the cached path every request of a known key takes. */
async function identityTokenMicros(): Promise<{ warm: number; cold: number }> {
  const privateKey = generateKeyPairSync('ed25519').privateKey;
  const publicJwk = await exportJWK(privateKey);
  delete publicJwk.d;
  const tokens = new IdentityTokens({ privateKey, alg: 'EdDSA', kid: await calculateJwkThumbprint(publicJwk), publicJwk }, 'keygate');
  const principal: Principal = {
    kind: 'CLIENT_KEY',
    id: 'key-1',
    userId: 'user-1',
    role: UserRole.MEMBER,
    scopes: new Set(['read:products']),
    keyPrefix: 'kg_x',
    expiresAt: null,
    rateLimitPerMinute: 60,
  };
  const coldStarted = process.hrtime.bigint();
  const coldN = 200;
  for (let i = 0; i < coldN; i++) await tokens.tokenFor({ ...principal, id: `cold-${i}` }, 'catalogue');
  const cold = Number(process.hrtime.bigint() - coldStarted) / 1e3 / coldN;
  await tokens.tokenFor(principal, 'catalogue');
  const n = 1_000_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) tokens.tokenFor(principal, 'catalogue');
  return { warm: Number(process.hrtime.bigint() - started) / 1e3 / n, cold };
}

/** Every server started, so that a failed run leaves no process behind. */
const running = new Set<BenchServer>();

async function started(server: Promise<BenchServer>): Promise<BenchServer> {
  const s = await server;
  running.add(s);
  const stop = s.stop;
  s.stop = () => {
    running.delete(s);
    return stop();
  };
  return s;
}

async function main() {
  const upstream = await started(startServer('gateway-upstream'));
  const upstreamUrl = `http://127.0.0.1:${upstream.port}/graphql`;
  const env = { UPSTREAM_URL: upstreamUrl };
  type Entry = { name: string; start: () => Promise<BenchServer | undefined>; headers: (s?: BenchServer) => Record<string, string> };
  const entries: Entry[] = [
    { name: 'upstream directly (graphql-http + @apollo/subgraph schema)', start: async () => undefined, headers: () => ({}) },
    {
      name: 'Keygate, client key (verify, scope check, rate limit, identity token)',
      start: () => started(startServer('keygate-gateway', env)),
      headers: (s) => ({ 'x-client-key': String(s!.info.key) }),
    },
    { name: 'Hive Gateway runtime, proxy mode, no auth', start: () => started(startServer('hive-gateway', env)), headers: () => ({}) },
    { name: '@apollo/gateway (IntrospectAndCompose), no auth', start: () => started(startServer('apollo-gateway', env)), headers: () => ({}) },
  ];
  const rounds: Record<string, Figures[]> = Object.fromEntries(entries.map((e) => [e.name, []]));
  let latencyDirect = Number.NaN;
  let latencyKeygate = Number.NaN;
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of entries) {
      const server = await entry.start();
      const port = server?.port ?? upstream.port;
      const pid = server?.pid ?? upstream.pid;
      const headers = entry.headers(server);
      await checkAnswer(port, headers, entry.name);
      await load(port, headers, 2, pid);
      rounds[entry.name].push(await load(port, headers, DURATION, pid));
      if (round === 0 && entry === entries[1])
        [latencyDirect, latencyKeygate] = await oneConnectionLatencies({ port: upstream.port, headers: {} }, { port, headers });
      await server?.stop();
    }
  }
  await upstream.stop();
  const identity = await identityTokenMicros();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = (name: string, key: keyof Figures) => median(rounds[name].map((f) => f[key]));
  const [, keygate, hive, apollo] = entries.map((e) => e.name);
  const lines: string[] = [];
  lines.push(`## Gateway: one small upstream query through four servers (\`npm run bench\`, bench/gateway.ts)`);
  lines.push('');
  lines.push(
    `Run ${new Date().toISOString()}: ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}; autocannon, ${CONNECTIONS} connections, ${DURATION} s per server and round, ${ROUNDS} rounds taking turns, medians. Query \`{ products { id name price } }\` (5 products). Each server in its own process, with NODE_ENV=production as deployed; Keygate sends this one-upstream operation whole (src/upstreams/planned-executor.ts) and completes the answer itself; the upstream (a federation subgraph built with @apollo/subgraph, served by graphql-http, replaying its answer for a request body it has seen so that it is not the bottleneck) is the same process for all rows; Hive Gateway runs in proxy mode (its setup for one upstream), @apollo/gateway composes the subgraph with IntrospectAndCompose. Added latency: one request at a time, to the upstream and to Keygate in turn, 3,000 pairs. Server CPU is the measured server's process only (for the gateways, not the upstream's).`,
  );
  lines.push('');
  lines.push('| server | req/s | p50 ms | p99 ms | failures | server CPU µs/req |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const e of entries)
    lines.push(
      `| ${e.name} | ${Math.round(m(e.name, 'rps')).toLocaleString('en')} | ${m(e.name, 'p50')} | ${m(e.name, 'p99')} | ${m(e.name, 'failures')} | ${m(e.name, 'cpuMicros').toFixed(0)} |`,
    );
  for (const e of entries) lines.push(`- ${e.name}, each round: ${rounds[e.name].map((f) => Math.round(f.rps)).join(', ')} req/s`);
  lines.push('');
  lines.push(
    `- Keygate / Hive Gateway: **${(m(keygate, 'rps') / m(hive, 'rps')).toFixed(2)}x** req/s (target ≥ 1.5x); CPU per request ${(m(keygate, 'cpuMicros') / m(hive, 'cpuMicros')).toFixed(2)}x.`,
  );
  lines.push(
    `- Keygate / @apollo/gateway: **${(m(keygate, 'rps') / m(apollo, 'rps')).toFixed(2)}x** req/s (target ≥ 3x); CPU per request ${(m(keygate, 'cpuMicros') / m(apollo, 'cpuMicros')).toFixed(2)}x.`,
  );
  lines.push(
    `- Added latency at one connection, p50 (Keygate with a key minus the upstream directly): **${(latencyKeygate - latencyDirect).toFixed(2)} ms** (${latencyKeygate.toFixed(2)} vs ${latencyDirect.toFixed(2)} ms; target ≤ 1 ms).`,
  );
  lines.push(
    `- Identity token (x-keygate-identity) for a warm key: **${identity.warm.toFixed(2)} µs** per request (target < 20 µs); signing a new one (cold) ${identity.cold.toFixed(0)} µs.`,
  );
  const section = lines.join('\n');
  console.log(section);

  const previous = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '';
  const block = `${START}\n${section}\n${END}`;
  const at = previous.indexOf(START);
  const next = at === -1 ? `${previous.trimEnd()}\n\n${block}\n` : previous.slice(0, at) + block + previous.slice(previous.indexOf(END) + END.length);
  fs.writeFileSync(RESULTS, next);
  console.log(`\nwritten to ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch(async (err) => {
  console.error(err);
  await Promise.all([...running].map((s) => s.stop().catch(() => undefined)));
  process.exit(1);
});
