import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createLogger } from '../../src/logging/logger';
import { CREATE_KEY, VIEWER } from '../support/documents';
import { issueKey, sleep, startTestApp, type TestApp } from '../support/test-app';

// See postgres-outage.test.ts: embedded-postgres is loaded by Node's own loader.
jest.mock('embedded-postgres', () => require('node:module')._load(require.resolve('embedded-postgres'), null, false));
jest.mock('async-exit-hook', () => require('node:module')._load(require.resolve('async-exit-hook'), null, false));

const UNAVAILABLE = 'Service temporarily unavailable, try again shortly';
/** "Within about 5 s": the query timeout (3 s) plus the time to give up a connection, with room for a loaded machine. */
const BOUNDED_MS = 6_000;

function parentOf(pid: string): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * Stops the postmaster first (so it starts no backend meanwhile), then every process it started.
 * Each is added to `frozen` as it stops, for SIGCONT whatever happens.
 */
function freezeCluster(dataDir: string, frozen: number[]): void {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(postmaster, 'SIGSTOP');
  frozen.push(postmaster);
  const children = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && parentOf(entry) === postmaster)
    .map(Number);
  for (const pid of children) {
    process.kill(pid, 'SIGSTOP');
    frozen.push(pid);
  }
}

interface Outcome {
  what: string;
  /** When it was sent, from the start of the freeze. */
  at: number;
  ms: number;
  status: number;
  retryAfter: string | null;
  code?: string;
  message?: string;
  retryable?: boolean;
}

/**
 * PostgreSQL frozen (every process SIGSTOPped: connections stay open, nothing answers, as with a
 * hung host or a stalled disk), unlike a stopped one, never refuses anything: only timeouts on
 * our side can bound the wait. Our own server, so the machine's keeps running for other tests.
 */
describe('PostgreSQL frozen under traffic', () => {
  const logger = createLogger('silent');
  let dir: string;
  let pg: EmbeddedDatabase | undefined;
  let t: TestApp | undefined;
  let frozen: number[] = [];

  const thaw = () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    frozen = [];
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-pg-frozen-'));
    pg = await startEmbeddedPostgres(dir, logger);
  });

  afterAll(async () => {
    thaw();
    await t?.close();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After within about 5 s, and recovers by itself once it thaws', async () => {
    t = await startTestApp({ db: { url: pg!.url, name: 'keygate', drop: async () => undefined } });
    const app = t;
    const member = await app.member('frozen');
    const { key } = await issueKey(app, member, { scopes: ['read:clientkeys'] });
    const PAGE = '{ clientKeys(first: 1) { nodes { id } } }';
    for (let i = 0; i < 2; i++) expect((await app.gql(PAGE, {}, member)).errors).toBeUndefined();
    expect((await app.gql(VIEWER, {}, { key })).errors).toBeUndefined();

    let frozenAt = 0;
    const call = async (what: string, run: () => Promise<Response>): Promise<Outcome> => {
      const started = performance.now();
      const res = await run();
      const body = (await res.json()) as { errors?: Array<{ message: string; extensions?: Record<string, any> }> };
      const error = body.errors?.[0];
      return {
        what,
        at: started - frozenAt,
        ms: performance.now() - started,
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        code: error?.extensions?.code,
        message: error?.message,
        retryable: error?.extensions?.retryable,
      };
    };
    const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => () =>
      fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const asMember = { authorization: `Bearer ${member.token}` };
    let n = 0;
    const round = () =>
      Promise.all([
        call('createClientKey', post(CREATE_KEY, { i: { name: `frozen ${n++}`, scopes: ['read:clientkeys'] } }, asMember)),
        call('prepared page', post(PAGE, {}, asMember)),
        call('client key', post(VIEWER, {}, { 'x-client-key': key })),
        call('me', post('{ me { id email } }', {}, asMember)),
      ]);

    freezeCluster(dir, frozen);
    frozenAt = performance.now();
    const outcomes: Outcome[] = [];
    let readyz: { status: number; ms: number } | undefined;
    try {
      // Several rounds back to back: the pool must stay bounded after its first timeouts too.
      const until = performance.now() + 12_000;
      while (performance.now() < until) outcomes.push(...(await round()));
      const started = performance.now();
      readyz = { status: (await fetch(`${app.url}/readyz`)).status, ms: performance.now() - started };
    } finally {
      thaw();
    }
    const thawedAt = performance.now();
    console.log(
      `[frozen postgres] ${outcomes.length} requests during the freeze, slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms: ` +
        outcomes.map((o) => `${o.what} ${o.status} ${Math.round(o.ms)}ms`).join(', '),
    );

    expect(outcomes.length).toBeGreaterThanOrEqual(8);
    for (const o of outcomes) {
      // A cached key is served without the database until the listener's heartbeat notices (within a second).
      if (o.what === 'client key' && o.status === 200 && o.at < 1_000) continue;
      expect(o).toMatchObject({
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
        code: 'INTERNAL_SERVER_ERROR',
        message: UNAVAILABLE,
        retryable: true,
      });
      expect(o.ms).toBeLessThan(BOUNDED_MS);
    }
    expect(readyz?.status).toBe(503);

    // Nobody restarts anything: the pool and the listener come back by themselves.
    let recovered: Outcome[] = [];
    while (performance.now() - thawedAt < 30_000) {
      recovered = await round();
      if (recovered.every((o) => o.status === 200 && !o.code)) break;
      await sleep(200);
    }
    expect(recovered.map((o) => [o.what, o.status, o.code])).toEqual([
      ['createClientKey', 200, undefined],
      ['prepared page', 200, undefined],
      ['client key', 200, undefined],
      ['me', 200, undefined],
    ]);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  }, 120_000);
});
