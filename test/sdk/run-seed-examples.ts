// Runs the seed's examples in order as a consumer of the packed @keygate/sdk would; compiled by
// seed-examples.test.ts under several module settings, so it imports nothing but the examples.
import * as examples from './seed-examples.js';

async function main(): Promise<void> {
  const client = await examples.overviewExample();
  const created = await examples.createExample(client);
  await examples.listExample(client);
  await examples.getExample(client, created.id);
  const updated = await examples.updateExample(client, created.id);
  await examples.revokeExample(client, created.id);
  await examples.deleteExample(client, created.id);
  console.log(JSON.stringify({ ran: 'all', name: updated.name, rate_limit_per_minute: updated.rate_limit_per_minute }));
}

// An unhandled rejection ends node with a non-zero status, which the test sees.
void main();
