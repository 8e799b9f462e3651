import 'reflect-metadata';
import { parse } from 'graphql';
import { buildCostModel } from '../src/cost/cost-model';
import { buildKeygateSchema } from '../src/schema/build-schema';
import { USAGE_COST_SIZERS } from '../src/usage/usage-cost-sizer';

/**
 * Estimating the cost of a cached document (issue #21's target: under 5 µs at p50 with
 * variables). Each call is timed on its own so the figure is a median, not a mean; the same
 * document object is passed every time, as Apollo does for the same text.
 */
const QUERIES: Record<string, { text: string; variables?: Record<string, unknown> }> = {
  'keys page, no variables': { text: '{ clientKeys(first: 20) { totalCount nodes { id name status owner { email } } } }' },
  'keys page + usage, 3 variables': {
    text: `query Usage($first: Int, $since: DateTime!, $interval: UsageInterval) {
      clientKeys(first: $first) { nodes { id name usage(since: $since, interval: $interval) { start requests errors } } }
    }`,
    variables: { first: 50, since: new Date(Date.now() - 6 * 3_600_000).toISOString(), interval: 'MINUTE' },
  },
  'keys page, @include variable': {
    text: 'query($withOwner: Boolean!, $first: Int) { clientKeys(first: $first) { nodes { id owner @include(if: $withOwner) { id email } } } viewer { id } }',
    variables: { withOwner: true, first: 10 },
  },
};

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main() {
  const schema = await buildKeygateSchema();
  const model = buildCostModel(schema, { sizers: USAGE_COST_SIZERS });
  for (const [name, { text, variables }] of Object.entries(QUERIES)) {
    const document = parse(text);
    const samples = new Float64Array(200_000);
    let sink = 0;
    for (let i = 0; i < 50_000; i++) sink += model.estimate(document, undefined, variables).cost;
    for (let i = 0; i < samples.length; i++) {
      const started = process.hrtime.bigint();
      sink += model.estimate(document, undefined, variables).cost;
      samples[i] = Number(process.hrtime.bigint() - started);
    }
    samples.sort();
    const cost = model.estimate(document, undefined, variables).cost;
    console.log(
      `cost estimate, ${name} (cost ${cost}): p50 ${(percentile(samples, 0.5) / 1000).toFixed(2)} µs, p99 ${(percentile(samples, 0.99) / 1000).toFixed(2)} µs${sink < 0 ? '' : ''}`,
    );
  }
}

void main();
