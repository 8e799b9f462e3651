import os from 'node:os';
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { BENCH_METRICS_TOKEN, startBenchKeygate } from './keygate-fixture';
import { cpuSeconds, KEYGATE_NODE_FLAGS, startServer } from './spawn-server';

/**
 * `npm run bench`: each server in its own process, the load from this one, one after the
 * other on the same machine. Figures are compared as ratios within this one run.
 */
// The servers and the EXPLAIN below share one PostgreSQL: the machine's unless DATABASE_URL says otherwise.
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';

/** REDIS_URL when a Redis answers there: without one, Keygate would count in memory and the row would mislead. */
async function reachableRedis(): Promise<string | undefined> {
  const url = process.env.REDIS_URL!;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  try {
    await redis.connect();
    await redis.ping();
    return url;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

const SMALL_QUERY = JSON.stringify({ query: '{ viewer { kind id scopes keyPrefix } }' });
const PAGE_QUERY = JSON.stringify({ query: '{ clientKeys(first: 50) { nodes { id owner { email } } } }' });
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** BENCH_QUICK=1: only the request shapes (no ceiling, Redis, page or failing-read rows). */
const QUICK = process.env.BENCH_QUICK === '1';

/** The request shapes real clients send: the same query, with each one's Accept header. */
const SHAPES: Array<{ name: string; headers: Record<string, string> }> = [
  { name: 'no Accept (curl, autocannon)', headers: {} },
  { name: "Apollo Client 4's Accept", headers: { accept: 'application/graphql-response+json,application/json;q=0.9' } },
  { name: "the SDK's Accept", headers: { accept: 'application/graphql-response+json, application/json' } },
];

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Requests completed in the run. */
  requests: number;
  /** The server process's CPU time (user + system) per request: steadier than req/s on a shared machine. */
  cpuMicros?: number;
}

async function load(port: number, body: string, headers: Record<string, string> = {}, duration = DURATION): Promise<Figures> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

async function loadMeasuringCpu(port: number, pid: number, body: string, headers: Record<string, string>): Promise<Figures> {
  const before = cpuSeconds(pid);
  const figures = await load(port, body, headers);
  return { ...figures, cpuMicros: ((cpuSeconds(pid) - before) / figures.requests) * 1e6 };
}

async function warm(port: number, body: string, headers: Record<string, string> = {}, seconds = 2) {
  await load(port, body, headers, seconds);
}

function row(name: string, f: Figures): string {
  const cpu = f.cpuMicros === undefined ? '' : ` ${f.cpuMicros.toFixed(0)} |`;
  return `| ${name} | ${Math.round(f.rps).toLocaleString('en')} | ${f.p50} | ${f.p99} | ${f.errors + f.non2xx} |${cpu}`;
}

async function sequentialLatency(port: number, body: string, headers: Record<string, string>, n = 300): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    await res.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p99: times[Math.floor(n * 0.99)] };
}

/** Keygate's own measure of time spent on /graphql requests, from its Prometheus histogram. */
async function serverTime(port: number): Promise<{ sum: number; count: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const value = (name: string) =>
    Number(new RegExp(`^keygate_http_request_duration_seconds_${name}\\{route="graphql"\\} ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? 0);
  return { sum: value('sum'), count: value('count') };
}

const middle = <T>(items: T[], by: (item: T) => number) => [...items].sort((a, b) => by(a) - by(b))[Math.floor(items.length / 2)];

/**
 * SQL statements per read, for 100 reads of a key that does not exist (NOT_FOUND) and 100 of one
 * that does, counted by Keygate's own DataSource logger (in this process, over real HTTP).
 */
async function failingReadCost(): Promise<string> {
  const statements: string[] = [];
  const { app, key, stop } = await startBenchKeygate(0, undefined, (sql) => statements.push(sql));
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json,application/json;q=0.9', 'x-client-key': key };
  const post = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: Record<string, { id: string } | null>; errors?: Array<{ extensions?: { code?: string } }> };
  };
  const page = (await post('{ clientKeys(first: 1) { nodes { id } } }')) as unknown as { data: { clientKeys: { nodes: Array<{ id: string }> } } };
  const existing = page.data.clientKeys.nodes[0].id;
  const measure = async (id: string, expected: string) => {
    await post('query($id: ID!) { clientKey(id: $id) { id name } }', { id }); // warm: the document in Apollo's store
    statements.length = 0;
    for (let i = 0; i < 100; i++) {
      const body = await post('query($id: ID!) { clientKey(id: $id) { id name } }', { id });
      const code = body.errors?.[0]?.extensions?.code ?? (body.data?.clientKey ? 'OK' : 'NONE');
      if (code !== expected) throw new Error(`expected ${expected}, got ${code}`);
    }
    // lastUsedAt is written in the background every few seconds, not by the requests.
    return statements.filter((sql) => !sql.includes('last_used_at = GREATEST')).length;
  };
  const failing = await measure('00000000-0000-4000-8000-000000000000', 'NOT_FOUND');
  const succeeding = await measure(existing, 'OK');
  await stop();
  return `SQL statements for 100 reads (counted by Keygate's DataSource logger): ${failing} for reads of a key that does not exist (NOT_FOUND), ${succeeding} for reads of one that does`;
}

async function main() {
  console.log(`# Keygate benchmark, ${new Date().toISOString()}`);
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `load: autocannon, ${CONNECTIONS} connections per server, ${DURATION} s per shape and round, after a 2 s warm-up; each server loaded alone, in turns\n`,
  );

  // BENCH_ONLY=failing-read: just the database cost of a failing read.
  if (process.env.BENCH_ONLY === 'failing-read') return void console.log(await failingReadCost());

  // Each server is loaded alone, in turns within each round (the order flips every round), so
  // that every one has the machine to itself while it is measured. Loading two servers at the same
  // moment measured the kernel's scheduling as much as the servers: two identical stock Apollo
  // processes loaded side by side came out 0.90x to 1.25x of each other, the one sharing a core
  // with the load generator waiting up to a third of its time on the run queue. A second stock
  // Apollo process, measured like the others, shows how far the method itself moves a ratio; a
  // third, given the Node flags Keygate is deployed with, shows what those flags alone are worth.
  const redisUrl = QUICK ? undefined : await reachableRedis();
  if (!QUICK && !redisUrl) console.log('(no Redis at REDIS_URL: the Redis-backed rate limit row is left out)\n');
  const STOCK = 'stock Apollo Server 5, no auth';
  const STOCK_AGAIN = "stock Apollo Server 5, no auth, a second process (the method's own spread)";
  const STOCK_FLAGGED = `stock Apollo Server 5, no auth, with Keygate's Node flags (${KEYGATE_NODE_FLAGS.join(' ')})`;
  const KEYGATE = 'Keygate, client key';
  const KEYGATE_REDIS = 'Keygate, client key, rate limits in Redis';
  const id = (server: string, shape: string) => `${server}, ${shape}`;
  const rounds: Record<string, Figures[]> = {};
  const record = (server: string, shape: string, figures: Figures) => (rounds[id(server, shape)] ??= []).push(figures);
  if (!QUICK) {
    for (let round = 0; round < ROUNDS; round++) {
      const ceiling = await startServer('ceiling');
      await warm(ceiling.port, SMALL_QUERY, {}, 2);
      record('ceiling (node:http, fixed body)', SHAPES[0].name, await loadMeasuringCpu(ceiling.port, ceiling.pid, SMALL_QUERY, {}));
      await ceiling.stop();
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const stock = await startServer('stock-apollo');
    const stockAgain = await startServer('stock-apollo');
    // Keygate runs with its deployed Node flags (spawn-server.ts); this one shows what they do for stock Apollo.
    const stockFlagged = await startServer('stock-apollo', {}, [...KEYGATE_NODE_FLAGS]);
    const keygate = await startServer('keygate');
    const keygateRedis = redisUrl ? await startServer('keygate', { BENCH_REDIS_URL: redisUrl }) : undefined;
    const keyHeaders = (s: typeof keygate) => ({ 'x-client-key': String(s.info.key) });
    /** Loads each server alone, one after the other, reversing the order on odd rounds. */
    const inTurns = async (turns: Array<{ name: string; server: typeof keygate; headers: Record<string, string> }>, shape: string) => {
      for (const turn of round % 2 === 0 ? turns : [...turns].reverse()) {
        await warm(turn.server.port, SMALL_QUERY, turn.headers);
        record(turn.name, shape, await loadMeasuringCpu(turn.server.port, turn.server.pid, SMALL_QUERY, turn.headers));
      }
    };
    // A fresh process runs slower until V8 has optimised its hot paths: a longer first warm-up.
    for (const server of [stock, stockAgain, stockFlagged, keygate]) await warm(server.port, SMALL_QUERY, server === keygate ? keyHeaders(keygate) : {}, 4);
    const order = SHAPES.map((_, i) => SHAPES[(i + round) % SHAPES.length]);
    for (const shape of order) {
      const turns = [
        { name: STOCK, server: stock, headers: shape.headers },
        { name: KEYGATE, server: keygate, headers: { ...keyHeaders(keygate), ...shape.headers } },
      ];
      // The control: Apollo Client's shape against a second, identical stock Apollo process.
      if (shape === SHAPES[1]) {
        turns.push({ name: STOCK_AGAIN, server: stockAgain, headers: shape.headers });
        turns.push({ name: STOCK_FLAGGED, server: stockFlagged, headers: shape.headers });
      }
      await inTurns(turns, shape.name);
    }
    if (keygateRedis) {
      // Apollo Client's shape again, against Keygate counting its rate limits in Redis.
      const shape = SHAPES[1];
      await warm(keygateRedis.port, SMALL_QUERY, { ...keyHeaders(keygateRedis), ...shape.headers }, 4);
      await inTurns(
        [
          { name: `${STOCK} (beside the Redis row)`, server: stock, headers: shape.headers },
          { name: KEYGATE_REDIS, server: keygateRedis, headers: { ...keyHeaders(keygateRedis), ...shape.headers } },
        ],
        shape.name,
      );
      await keygateRedis.stop();
    }
    await Promise.all([stock.stop(), stockAgain.stop(), stockFlagged.stop(), keygate.stop()]);
  }
  const median = (figures: Figures[]) => middle(figures, (f) => f.rps);
  console.log(
    `| server, request shape: \`{ viewer { kind id scopes keyPrefix } }\` (median of ${ROUNDS} rounds) | req/s | p50 ms | p99 ms | errors | server CPU µs/req |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, figures] of Object.entries(rounds)) console.log(row(name, median(figures)));
  console.log('');
  for (const [name, figures] of Object.entries(rounds)) {
    console.log(
      `  ${name}, each round: ${figures.map((f) => Math.round(f.rps)).join(', ')} req/s; ${figures.map((f) => f.cpuMicros?.toFixed(0)).join(', ')} CPU µs/req`,
    );
  }
  console.log(
    '\n| request shape (each server loaded alone, in turns) | Keygate / stock req/s (medians) | median of per-round ratios | CPU per request, Keygate / stock (medians) | rounds ahead |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const medianCpu = (figures: Figures[]) =>
    middle(
      figures.map((f) => f.cpuMicros ?? Number.NaN),
      (x) => x,
    );
  const compare = (label: string, a: Figures[], b: Figures[]) => {
    const ahead = a.filter((f, i) => f.rps > b[i].rps).length;
    // Both ran in the same round, a few seconds apart, so their ratio shares that round's neighbours.
    const paired = middle(
      a.map((f, i) => f.rps / b[i].rps),
      (x) => x,
    );
    console.log(
      `| ${label} | ${(median(a).rps / median(b).rps).toFixed(2)}x | ${paired.toFixed(2)}x | ${(medianCpu(a) / medianCpu(b)).toFixed(2)}x | ${ahead} of ${a.length} |`,
    );
  };
  for (const shape of SHAPES) compare(shape.name, rounds[id(KEYGATE, shape.name)], rounds[id(STOCK, shape.name)]);
  compare(
    `${SHAPES[1].name}: the control, stock Apollo against a second stock Apollo process`,
    rounds[id(STOCK_AGAIN, SHAPES[1].name)],
    rounds[id(STOCK, SHAPES[1].name)],
  );
  compare(
    `${SHAPES[1].name}: Keygate against stock Apollo given Keygate's Node flags`,
    rounds[id(KEYGATE, SHAPES[1].name)],
    rounds[id(STOCK_FLAGGED, SHAPES[1].name)],
  );
  if (rounds[id(KEYGATE_REDIS, SHAPES[1].name)]) {
    compare(
      `${SHAPES[1].name}, rate limits in Redis`,
      rounds[id(KEYGATE_REDIS, SHAPES[1].name)],
      rounds[id(`${STOCK} (beside the Redis row)`, SHAPES[1].name)],
    );
  }
  if (QUICK) return;
  console.log(
    `\nEvery server ran alone, the ceiling too: Keygate against the ceiling, CPU per request ${medianCpu(rounds[id(KEYGATE, SHAPES[0].name)]).toFixed(0)} against ${medianCpu(rounds[id('ceiling (node:http, fixed body)', SHAPES[0].name)]).toFixed(0)} µs.`,
  );
  console.log('\n' + (await failingReadCost()));

  const seeded = await startServer('keygate', { SEED_KEYS: '100000' });
  const headers = { 'x-client-key': String(seeded.info.key) };
  await warm(seeded.port, PAGE_QUERY, headers);
  const page = await load(seeded.port, PAGE_QUERY, headers);
  const before = await serverTime(seeded.port);
  const sequential = await sequentialLatency(seeded.port, PAGE_QUERY, headers);
  const after = await serverTime(seeded.port);
  const serverMs = ((after.sum - before.sum) / (after.count - before.count)) * 1000;
  console.log(`\n| \`clientKeys(first: 50) { nodes { id owner { email } } }\`, 100,000 keys | req/s | p50 ms | p99 ms | errors |`);
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(row('Keygate, client key, under load', page));
  console.log(
    `one request at a time: server-side mean ${serverMs.toFixed(2)} ms (Keygate's own request histogram); client-measured p50 ${sequential.p50.toFixed(2)} ms, p99 ${sequential.p99.toFixed(2)} ms`,
  );

  const db = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  db.pathname = `/${seeded.info.dbName}`;
  const pg = new Client({ connectionString: db.toString() });
  await pg.connect();
  const plan = await pg.query(
    // The shape of the page query Keygate sends when owners are selected: keys newest first, owners joined.
    `EXPLAIN (ANALYZE, BUFFERS) SELECT k.*, u.id AS owner_id, u.email AS owner_email FROM client_keys k
       LEFT JOIN users u ON u.id = k.user_id ORDER BY k.created_at DESC, k.id DESC LIMIT 51`,
  );
  console.log('\nEXPLAIN ANALYZE of the page query:\n```');
  for (const r of plan.rows) console.log(r['QUERY PLAN']);
  console.log('```');
  await pg.end();
  await seeded.stop();

  console.log('\n' + execFileSync(process.execPath, [path.join(__dirname, 'verify-micro.js')], { encoding: 'utf8' }).trim());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
