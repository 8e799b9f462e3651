import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

/**
 * A/B of the hot path against another build of Keygate (for example main before a change):
 * `BENCH_BASELINE=/path/to/other/dist/bench/servers/keygate.js node dist/bench/usage-ab.js`.
 * Both servers take turns (order alternating per round), each in its own process, with a client
 * key on `{ viewer { kind id } }`; judged by medians, and by server CPU per request, which moves
 * less than req/s on a shared machine.
 */
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const BODY = JSON.stringify({ query: '{ viewer { kind id } }' });

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function start(file: string): Promise<{ port: number; key: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const info = JSON.parse(line) as { port: number; key: string };
      resolve({ ...info, pid: child.pid!, stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

async function measure(file: string): Promise<{ rps: number; cpu: number }> {
  const server = await start(file);
  const run = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${server.port}/graphql`,
      method: 'POST',
      connections: 32,
      duration,
      headers: { 'content-type': 'application/json', 'x-client-key': server.key },
      body: BODY,
    });
  await run(2);
  const before = cpuSeconds(server.pid);
  const result = await run(DURATION);
  const cpu = ((cpuSeconds(server.pid) - before) / result.requests.total) * 1e6;
  if (result.non2xx > 0) throw new Error(`${file}: ${result.non2xx} non-2xx responses`);
  await server.stop();
  return { rps: result.requests.average, cpu };
}

async function main() {
  const baseline = process.env.BENCH_BASELINE;
  if (!baseline) throw new Error("BENCH_BASELINE must name the other build's dist/bench/servers/keygate.js");
  const current = path.join(__dirname, 'servers', 'keygate.js');
  const rows: Array<{ base: { rps: number; cpu: number }; cur: { rps: number; cpu: number } }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [baseline, current] : [current, baseline];
    const figures = new Map<string, { rps: number; cpu: number }>();
    for (const file of order) figures.set(file, await measure(file));
    const row = { base: figures.get(baseline)!, cur: figures.get(current)! };
    rows.push(row);
    console.log(
      `round ${round + 1}: baseline ${Math.round(row.base.rps)} req/s ${row.base.cpu.toFixed(1)} µs/req; current ${Math.round(row.cur.rps)} req/s ${row.cur.cpu.toFixed(1)} µs/req`,
    );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    `median req/s ratio current/baseline ${median(rows.map((r) => r.cur.rps / r.base.rps)).toFixed(3)}, ` +
      `median CPU per request ratio ${median(rows.map((r) => r.cur.cpu / r.base.cpu)).toFixed(3)} ` +
      `(baseline ${median(rows.map((r) => r.base.cpu)).toFixed(1)} µs, current ${median(rows.map((r) => r.cur.cpu)).toFixed(1)} µs)`,
  );
}
void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
