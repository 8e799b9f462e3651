import fs from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { type BenchServer, cpuSeconds, startServer } from './spawn-server';

/**
 * `npm run bench` (budgets part, issue #21's target): on one Keygate server, a key whose requests pay
 * into three limits (its default, a COST and a REQUESTS limit), its credits and its parent key's limit
 * and credits, against the bench's key with only its default limit; in memory and with Redis. Both keys
 * are loaded in turns within each round (the order flips every round), with the same request shapes
 * as bench/run.ts, so that their ratio shares the round's neighbours on a shared machine.
 *
 * BENCH_OLD_KEYGATE=<dir>: also the one-limit key against an older build of Keygate (its
 * dist/bench/servers/keygate.js, built with its own `tsc -p tsconfig.tools.json`), started the same way.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';

const QUERY = JSON.stringify({ query: '{ viewer { kind id scopes keyPrefix } }' });
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const OLD_BUILD = process.env.BENCH_OLD_KEYGATE;
/** BENCH_STORES=redis (or memory): only that group, when working on one store. */
const STORES = (process.env.BENCH_STORES ?? 'memory,redis').split(',');
/** BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' and BENCH_ONLY=budgeted (or one): profile one key's requests. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ONLY = process.env.BENCH_ONLY;
/** The bench fixture's admin (bench/keygate-fixture.ts), on the bench's own database only. */
const ADMIN = { email: 'bench@example.com', password: 'bench-password' };
const SHAPES: Array<{ name: string; accept: string }> = [
  { name: "Apollo Client 4's Accept", accept: 'application/graphql-response+json,application/json;q=0.9' },
  { name: "the SDK's Accept", accept: 'application/graphql-response+json, application/json' },
];
/** Large enough never to refuse during the run, so that the figure is the cost of checking them. */
const NEVER_REACHED = 1_000_000_000;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  cpuMicros: number;
  /** The local Redis server's CPU per request (0 in memory, or when Redis is not on this machine). */
  redisMicros: number;
  /** The load generator's own CPU per request (autocannon runs in this process): a larger response costs the client too. */
  clientMicros: number;
  /** The server's garbage-collection pauses per request (bench/gc-observer.ts), part of cpuMicros. */
  gcMicros: number;
}

/** The Redis server's process, when it runs on this machine: its CPU is part of a request's cost here. */
let redisPid: number | undefined;

const secondsOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

async function load(server: BenchServer, headers: Record<string, string>, duration = DURATION, withRedis = false): Promise<Figures> {
  const before = cpuSeconds(server.pid);
  const redisBefore = withRedis && redisPid ? cpuSeconds(redisPid) : 0;
  const clientBefore = process.cpuUsage();
  const gcBefore = await server.gcMs();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/graphql`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/json', ...headers },
    body: QUERY,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.non2xx,
    cpuMicros: ((cpuSeconds(server.pid) - before) / result.requests.total) * 1e6,
    redisMicros: withRedis && redisPid ? ((cpuSeconds(redisPid) - redisBefore) / result.requests.total) * 1e6 : 0,
    clientMicros: (secondsOf(process.cpuUsage(clientBefore)) / result.requests.total) * 1e6,
    gcMicros: (((await server.gcMs()) - gcBefore) / result.requests.total) * 1e3,
  };
}

async function gql(port: number, query: string, variables: Record<string, unknown>, auth: Record<string, string>) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: SHAPES[0].accept, ...auth },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[]; extensions?: any };
  if (!body.data || body.errors) throw new Error(`${query.slice(0, 40)}... answered ${res.status}: ${JSON.stringify(body.errors)}`);
  return body;
}

const CREATE = `mutation($i: CreateClientKeyInput!) { createClientKey(input: $i) { key } }`;

/**
 * A parent key (its default limit and credits) minted by the admin, and the key it mints in turn
 * with a COST and a REQUESTS limit and credits of its own: each of its requests pays into five
 * limits and two credit balances, checked and charged at once.
 */
async function mintBudgetedKey(server: BenchServer): Promise<string> {
  const login = await gql(
    server.port,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    { e: ADMIN.email, p: ADMIN.password },
    {},
  );
  const parent = await gql(
    server.port,
    CREATE,
    {
      i: {
        name: 'bench parent',
        scopes: ['read:clientkeys', 'read:users', 'write:clientkeys'],
        rateLimitPerMinute: 1_000_000,
        credits: { remaining: 1e12 },
      },
    },
    { authorization: `Bearer ${login.data.login.accessToken}` },
  );
  const child = await gql(
    server.port,
    CREATE,
    {
      i: {
        name: 'bench budgeted',
        scopes: ['read:clientkeys', 'read:users'],
        rateLimitPerMinute: 1_000_000,
        credits: { remaining: 1e12 },
        limits: [
          { name: 'cost', unit: 'COST', limit: NEVER_REACHED, periodSeconds: 3600 },
          { name: 'requests', unit: 'REQUESTS', limit: NEVER_REACHED, periodSeconds: 60 },
        ],
      },
    },
    { 'x-client-key': parent.data.createClientKey.key },
  );
  const key: string = child.data.createClientKey.key;
  // The row must measure what it says: every one of these limits is charged.
  const probe = await gql(server.port, '{ viewer { id } }', {}, { 'x-client-key': key });
  const names = (probe.extensions?.cost?.limits ?? []).map((l: { name: string }) => l.name).join(', ');
  if (names !== 'default, cost, requests, parent.default') throw new Error(`the budgeted key is charged to [${names}]`);
  return key;
}

async function reachableRedis(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** The Redis server's pid when /proc shows it (Redis on this machine), else undefined. */
async function localRedisPid(url: string): Promise<number | undefined> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
    return Number.isFinite(cpuSeconds(pid)) ? pid : undefined;
  } finally {
    redis.disconnect();
  }
}

interface Turn {
  name: string;
  withRedis: boolean;
  server: BenchServer;
  key: string;
}

const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  console.log(`# Keygate budgets benchmark, ${new Date().toISOString()}`);
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}, load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per turn after a 2 s warm-up, ${ROUNDS} rounds, turns in flipped order each round\n`,
  );

  const redisUrl = (await reachableRedis(process.env.REDIS_URL!)) ? process.env.REDIS_URL! : undefined;
  if (!redisUrl) console.log('(no Redis at REDIS_URL: the Redis rows are left out)\n');
  else redisPid = await localRedisPid(redisUrl);
  const oldServer = OLD_BUILD ? `${fs.realpathSync(OLD_BUILD)}/dist/bench/servers/keygate.js` : undefined;

  const groups: Array<{ label: string; turns: Turn[] }> = [];
  const servers: BenchServer[] = [];
  const stores = [
    ...(STORES.includes('memory') ? [['in memory', {}]] : []),
    ...(redisUrl && STORES.includes('redis') ? [['Redis', { BENCH_REDIS_URL: redisUrl }]] : []),
  ];
  for (const [label, env] of stores as Array<[string, Record<string, string>]>) {
    const withRedis = 'BENCH_REDIS_URL' in env;
    const server = await startServer('keygate', env, NODE_ARGS);
    servers.push(server);
    const turns: Turn[] = [
      { name: `one limit, ${label}`, server, key: String(server.info.key), withRedis },
      { name: `three limits + credits + parent, ${label}`, server, key: await mintBudgetedKey(server), withRedis },
    ].filter((turn) => !ONLY || (ONLY === 'one') === turn.name.startsWith('one limit'));
    if (oldServer) {
      const old = await startServer(oldServer, env, NODE_ARGS);
      servers.push(old);
      turns.push({ name: `one limit, build 992ff60 (before budgets), ${label}`, server: old, key: String(old.info.key), withRedis });
    }
    groups.push({ label, turns });
  }
  // A fresh process runs slower until V8 has optimised its hot paths: a longer first warm-up.
  for (const { turns } of groups) for (const turn of turns) await load(turn.server, { 'x-client-key': turn.key, accept: SHAPES[0].accept }, 4);

  const figures: Record<string, Figures[]> = {};
  const id = (turn: string, shape: string) => `${turn}, ${shape}`;
  for (let round = 0; round < ROUNDS; round++) {
    for (const shape of round % 2 === 0 ? SHAPES : [...SHAPES].reverse()) {
      for (const { turns } of groups) {
        for (const turn of round % 2 === 0 ? turns : [...turns].reverse()) {
          const headers = { 'x-client-key': turn.key, accept: shape.accept };
          await load(turn.server, headers, 2);
          const f = await load(turn.server, headers, DURATION, turn.withRedis);
          if (process.env.BENCH_VERBOSE)
            console.log(
              `  round ${round + 1}, ${id(turn.name, shape.name)}: ${Math.round(f.rps)} req/s, ${f.cpuMicros.toFixed(0)} (GC ${f.gcMicros.toFixed(0)}) + ${f.redisMicros.toFixed(0)} us (client ${f.clientMicros.toFixed(0)} us)`,
            );
          if (f.failed) console.log(`  (${id(turn.name, shape.name)}: ${f.failed} failed requests in round ${round + 1})`);
          (figures[id(turn.name, shape.name)] ??= []).push(f);
        }
      }
    }
  }
  await Promise.all(servers.map((s) => s.stop()));

  console.log(
    `| key, request shape \`{ viewer { kind id scopes keyPrefix } }\` (median of ${ROUNDS} rounds) | req/s | p50 ms | p99 ms | failed | server CPU µs/req | GC pause µs/req | Redis CPU µs/req | client CPU µs/req |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, all] of Object.entries(figures)) {
    const f = all.find((x) => x.rps === middle(all.map((y) => y.rps)))!;
    console.log(
      `| ${name} | ${Math.round(f.rps).toLocaleString('en')} | ${f.p50} | ${f.p99} | ${f.failed} | ${middle(all.map((x) => x.cpuMicros)).toFixed(0)} | ${middle(all.map((x) => x.gcMicros)).toFixed(0)} | ${redisPid ? middle(all.map((x) => x.redisMicros)).toFixed(0) : 'n/a'} | ${middle(all.map((x) => x.clientMicros)).toFixed(0)} |`,
    );
  }
  console.log(
    '\n| comparison (same request shape, loaded in turns) | req/s ratio, medians | median of per-round ratios | CPU per request ratio | rounds ahead |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const compare = (label: string, shape: string, other: Turn, base: Turn, baseName: string) => {
    const a = figures[id(other.name, shape)];
    const b = figures[id(base.name, shape)];
    if (!a || !b) return;
    const ratios = a.map((f, i) => f.rps / b[i].rps);
    const rps = middle(a.map((f) => f.rps)) / middle(b.map((f) => f.rps));
    const cpu = middle(a.map((f) => f.cpuMicros)) / middle(b.map((f) => f.cpuMicros));
    console.log(
      `| ${other.name.replace(`, ${label}`, '')} / ${baseName}, ${label}, ${shape} | ${rps.toFixed(2)}x | ${middle(ratios).toFixed(2)}x | ${cpu.toFixed(2)}x | ${ratios.filter((r) => r > 1).length} of ${ratios.length} |`,
    );
  };
  for (const { label, turns } of groups) {
    const one = turns.find((t) => t.name.startsWith('one limit,') && !t.name.includes('build'));
    const budgeted = turns.find((t) => t.name.startsWith('three limits'));
    const old = turns.find((t) => t.name.includes('build'));
    for (const shape of SHAPES) {
      if (one) for (const other of turns) if (other !== one) compare(label, shape.name, other, one, 'one limit');
      // Issue #21's target as written: the budgeted key against the one-limit key of the build before budgets.
      if (budgeted && old) compare(label, shape.name, budgeted, old, 'one limit of build 992ff60');
    }
  }
  console.log(
    `\nload average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
