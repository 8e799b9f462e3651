import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createLogger } from '../../src/logging/logger';
import { CREATE_KEY, VIEWER } from '../support/documents';
import { issueKey, sleep, startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/wait';

/**
 * embedded-postgres is an ES module, which Node (20.19+) can require but jest's module registry
 * cannot. Node's own loader loads it, and the exit hook it registers, so the helper removes that hook.
 */
jest.mock('embedded-postgres', () => require('node:module')._load(require.resolve('embedded-postgres'), null, false));
jest.mock('async-exit-hook', () => require('node:module')._load(require.resolve('async-exit-hook'), null, false));

const UNAVAILABLE = 'Service temporarily unavailable, try again shortly';
/** A request during the outage must answer within this; a hang would show as far more. */
const FAIL_FAST_MS = 5_000;
const RECOVERY_DEADLINE_MS = 30_000;

/** By when a request started: across the stop and the restart it may go either way. */
type Phase = 'before' | 'outage' | 'restart' | 'recovery';

interface Outcome {
  phase: Phase;
  ms: number;
  status?: number;
  keyId?: string;
  code?: string;
  message?: string;
  retryable?: boolean;
  /** fetch itself failed: the process did not answer at all. */
  transportError?: string;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/**
 * Our own PostgreSQL, stopped and started under the app: the machine's shared server must
 * keep running for the other tests. The same data dir and port let the app's pool follow it.
 */
describe('PostgreSQL stopped under traffic', () => {
  const logger = createLogger('silent');
  let dir: string;
  let pg: EmbeddedDatabase | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keygate-pg-outage-'));
    pg = await startEmbeddedPostgres(dir, logger);
  });

  afterAll(async () => {
    await t?.close();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails fast with a retryable error, reports not ready, recovers by itself and loses no acknowledged write', async () => {
    const port = pg!.port;
    t = await startTestApp({ db: { url: pg!.url, name: 'keygate', drop: async () => undefined } });
    const app = t;
    const member = await app.member('outage');
    const { key } = await issueKey(app, member, { scopes: ['read:clientkeys'] });

    // A query Apollo has cached (seen before), for a caller whose token needs no database.
    const PAGE = '{ clientKeys(first: 1) { nodes { id } } }';
    for (let i = 0; i < 2; i++) expect((await app.gql(PAGE, {}, member)).errors).toBeUndefined();

    let phase: Phase = 'before';
    let running = true;
    const outcomes: Outcome[] = [];

    async function createKey(n: number): Promise<Outcome> {
      const started = phase;
      const t0 = performance.now();
      try {
        const res = await app.gql(CREATE_KEY, { i: { name: `outage ${n}`, scopes: ['read:clientkeys'] } }, member);
        const error = res.errors?.[0];
        return {
          phase: started,
          ms: performance.now() - t0,
          status: res.status,
          keyId: res.data?.createClientKey?.clientKey.id,
          code: error?.extensions?.code,
          message: error?.message,
          retryable: error?.extensions?.retryable,
        };
      } catch (err) {
        return { phase: started, ms: performance.now() - t0, transportError: String(err) };
      }
    }

    // A few clients writing back to back, as under real traffic.
    let sequence = 0;
    const workers = Array.from({ length: 3 }, async () => {
      while (running) {
        outcomes.push(await createKey(sequence++));
        await sleep(10);
      }
    });
    const succeeded = () => outcomes.filter((o) => o.keyId);

    try {
      await until('15 keys were written before the outage', () => succeeded().length >= 15, 30_000);

      await pg!.stop();
      phase = 'outage';
      await sleep(300);

      const ready = await timed(() => fetch(`${app.url}/readyz`));
      const health = await timed(() => fetch(`${app.url}/healthz`));
      // The gateway path: verifying a client key needs the database too (its cache is off while the listener is down).
      const viaKey = await timed(() => app.gql(VIEWER, {}, { key }));
      const viaPrepared = await timed(() => app.gql(PAGE, {}, member));
      await sleep(3_000);

      phase = 'restart';
      pg = await startEmbeddedPostgres(dir, logger, { port });
      phase = 'recovery';
      const restartedAt = performance.now();
      let readyAgainMs: number | undefined;
      let writingAgainMs: number | undefined;
      while ((readyAgainMs === undefined || writingAgainMs === undefined) && performance.now() - restartedAt < RECOVERY_DEADLINE_MS) {
        if (readyAgainMs === undefined && (await fetch(`${app.url}/readyz`)).status === 200) readyAgainMs = performance.now() - restartedAt;
        if (writingAgainMs === undefined && outcomes.some((o) => o.phase === 'recovery' && o.keyId)) writingAgainMs = performance.now() - restartedAt;
        await sleep(100);
      }
      const keyAgain = await app.gql(VIEWER, {}, { key });

      running = false;
      await Promise.all(workers);

      const during = outcomes.filter((o) => o.phase === 'outage');
      const failures = outcomes.filter((o) => !o.keyId);
      console.log(
        `[postgres outage] ${outcomes.length} writes (${succeeded().length} succeeded); during the outage ${during.length} failed in at most ` +
          `${Math.round(Math.max(...during.map((o) => o.ms)))} ms (median ${Math.round(median(during.map((o) => o.ms)))} ms); ` +
          `/readyz ${ready.value.status} in ${Math.round(ready.ms)} ms, key request ${viaKey.value.status} in ${Math.round(viaKey.ms)} ms; ` +
          `ready again after ${Math.round(readyAgainMs ?? -1)} ms, writing again after ${Math.round(writingAgainMs ?? -1)} ms ` +
          `(${failures.filter((o) => o.phase === 'recovery').length} writes failed after the restart)`,
      );

      // Fail fast, with an error that says what happened, and the process answering throughout.
      expect(outcomes.filter((o) => o.transportError)).toEqual([]);
      expect(during.length).toBeGreaterThanOrEqual(5);
      expect(during.filter((o) => o.keyId)).toEqual([]);
      for (const failure of failures) {
        expect(failure).toMatchObject({ status: 503, code: 'INTERNAL_SERVER_ERROR', message: UNAVAILABLE, retryable: true });
        expect(failure.ms).toBeLessThan(FAIL_FAST_MS);
      }
      expect(ready.value.status).toBe(503);
      expect(ready.ms).toBeLessThan(FAIL_FAST_MS);
      expect(health.value.status).toBe(200);
      expect(viaKey.ms).toBeLessThan(FAIL_FAST_MS);
      expect(viaKey.value.status).toBe(503);
      expect(viaKey.value.errors?.[0]).toMatchObject({ message: UNAVAILABLE, extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } });
      // The cached query met the outage once and answered at once.
      expect(viaPrepared.ms).toBeLessThan(FAIL_FAST_MS);
      expect(viaPrepared.value.status).toBe(503);
      expect(viaPrepared.value.headers.get('retry-after')).toBe('1');
      expect(viaPrepared.value.errors).toHaveLength(1);
      expect(viaPrepared.value.errors?.[0]).toMatchObject({ message: UNAVAILABLE, extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } });

      // Back by itself, with nobody restarting the app.
      expect(readyAgainMs).toBeLessThan(RECOVERY_DEADLINE_MS);
      expect(writingAgainMs).toBeLessThan(RECOVERY_DEADLINE_MS);
      expect(keyAgain.data?.viewer.kind).toBe('CLIENT_KEY');

      // Every write that answered success is there, with its audit event.
      const ids = succeeded().map((o) => o.keyId!);
      const client = new Client({ connectionString: pg!.url });
      await client.connect();
      try {
        const rows = await client.query<{ id: string }>('SELECT id FROM client_keys WHERE id = ANY($1::uuid[])', [ids]);
        expect(rows.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
        const audited = await client.query<{ client_key_id: string }>(
          `SELECT client_key_id FROM audit_events WHERE action = 'client_key.created' AND client_key_id = ANY($1::uuid[])`,
          [ids],
        );
        expect(audited.rows.map((r) => r.client_key_id).sort()).toEqual([...ids].sort());
      } finally {
        await client.end();
      }
    } finally {
      running = false;
      await Promise.all(workers);
    }
  }, 120_000);
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}
