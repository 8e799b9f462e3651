import 'reflect-metadata';
import { execute, parse } from 'graphql';
import type { DataSource } from 'typeorm';
import type { GraphQLContext } from '../src/identity/graphql-context';
import type { ClientKeyPrincipal } from '../src/identity/principal';
import { createLogger } from '../src/logging/logger';
import { buildKeygateSchema } from '../src/schema/build-schema';
import { RequestUsage } from '../src/usage/request-usage';
import { UsageRecorder } from '../src/usage/usage-recorder';

/**
 * What per-key usage costs a request, in process and without a database: the hot path's own
 * query (`{ viewer { kind id } }`, answered from the principal) executed by graphql-js on
 * Keygate's schema, without usage (a user's request: the root-field wrapper reads one property)
 * and with it (a key's request: a RequestUsage, the root field noted, the counts updated).
 * `npm run build:tools && node dist/bench/usage-micro.js`
 */
async function main() {
  const schema = await buildKeygateSchema();
  const document = parse('{ viewer { kind id } }');
  // The recorder is never flushed here: only its in-memory counting is timed.
  const recorder = new UsageRecorder({} as DataSource, createLogger('silent'));
  const principal: ClientKeyPrincipal = {
    kind: 'CLIENT_KEY',
    id: '00000000-0000-4000-8000-000000000001',
    userId: '00000000-0000-4000-8000-000000000002',
    role: 'admin' as ClientKeyPrincipal['role'],
    scopes: new Set(['read:clientkeys']),
    keyPrefix: 'kg_bench',
    expiresAt: null,
    rateLimitPerMinute: 1000,
  };
  const context = (usage: RequestUsage | undefined) =>
    ({ principal, ip: '127.0.0.1', userAgent: null, services: {}, loaders: {}, usage }) as unknown as GraphQLContext;

  const run = (n: number, withUsage: boolean) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const usage = withUsage ? new RequestUsage(recorder, principal.id) : undefined;
      const result = execute({ schema, document, contextValue: context(usage) });
      if ('errors' in result && result.errors) throw new Error(String(result.errors[0]));
      usage?.finish(false);
    }
    return Number(process.hrtime.bigint() - started) / n;
  };
  const countingOnly = (n: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const usage = new RequestUsage(recorder, principal.id);
      usage.field('Query.viewer');
      usage.finish(false);
    }
    return Number(process.hrtime.bigint() - started) / n;
  };

  const N = Number(process.env.BENCH_N ?? 200_000);
  run(20_000, false);
  run(20_000, true);
  countingOnly(20_000);
  const rounds: Array<{ without: number; with: number; counting: number }> = [];
  for (let round = 0; round < 7; round++) {
    // Alternated, so both see the same neighbours on a shared machine.
    rounds.push({ without: run(N, false), with: run(N, true), counting: countingOnly(N) });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const without = median(rounds.map((r) => r.without));
  const withUsage = median(rounds.map((r) => r.with));
  const counting = median(rounds.map((r) => r.counting));
  const ratio = median(rounds.map((r) => r.with / r.without));
  console.log(
    `execute { viewer { kind id } }: ${(without / 1000).toFixed(2)} µs without usage, ${(withUsage / 1000).toFixed(2)} µs with (median ratio ${ratio.toFixed(3)})`,
  );
  console.log(`counting alone (RequestUsage + one root field + record): ${(counting / 1000).toFixed(3)} µs per request`);
}
void main();
