import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { serverAudits } from 'graphql-http';
import { startTestApp, type TestApp } from '../support/test-app';

async function audit(url: string) {
  const audits = serverAudits({ url, fetchFn: fetch });
  const results = await Promise.all(audits.map(async (a) => ({ ...(await a.fn()), name: a.name })));
  return {
    total: results.length,
    passed: results.filter((r) => r.status === 'ok').length,
    failedMust: results.filter((r) => r.status !== 'ok' && r.name.startsWith('MUST')).map((r) => r.name),
    notPassed: results.filter((r) => r.status !== 'ok').map((r) => `${r.status}: ${r.name}`),
  };
}

describe('GraphQL over HTTP conformance (graphql-http serverAudits)', () => {
  let t: TestApp;
  let stock: ApolloServer;
  let stockUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    // Stock Apollo Server 5, as its docs start it, measured by the same audits in the same run.
    stock = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
    ({ url: stockUrl } = await startStandaloneServer(stock, { listen: { port: 0, host: '127.0.0.1' } }));
  });
  afterAll(async () => {
    await stock.stop();
    await t.close();
  });

  it('fails no MUST and passes more audits than stock Apollo Server 5', async () => {
    const keygate = await audit(`${t.url}/graphql`);
    const baseline = await audit(stockUrl);
    console.log(
      `[graphql-http] Keygate passes ${keygate.passed}/${keygate.total}, stock Apollo Server 5 ${baseline.passed}/${baseline.total}; ` +
        `Keygate does not pass:\n  ${keygate.notPassed.join('\n  ')}`,
    );
    expect(keygate.failedMust).toEqual([]);
    expect(keygate.total).toBe(baseline.total);
    expect(keygate.passed).toBeGreaterThan(baseline.passed);
  });
});
