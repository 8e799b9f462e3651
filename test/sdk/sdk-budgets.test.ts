import { createClient, KeygateError, type OperationCost } from '@keygate/sdk';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app';

describe('@keygate/sdk budgets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('sets a key budget, adjusts its credits, and tells a key client what each request cost', async () => {
    const admin = createClient({ url: t.url });
    await admin.auth.login({ email: ADMIN.email, password: ADMIN.password });
    const { client_key, key } = await admin.management.clientKeys.create({ name: 'sdk budget', scopes: ['read:clientkeys'], rate_limit_per_minute: 100 });

    const budget = await admin.management.keyBudgets.update(client_key.id, {
      limits: [{ name: 'cost', unit: 'COST', limit: 40, period_seconds: 3600 }],
      max_operation_cost: 30,
      credits: { remaining: 1000 },
    });
    expect(budget.limits).toEqual([
      { name: 'default', unit: 'ROOT_FIELDS', limit: 100, period_seconds: 60 },
      { name: 'cost', unit: 'COST', limit: 40, period_seconds: 3600 },
    ]);
    expect(budget.max_operation_cost).toBe(30);
    expect(budget.credits).toMatchObject({ remaining: 1000, refill: null });
    expect((await admin.management.keyBudgets.adjustCredits(client_key.id, 'DECREMENT', 400)).credits?.remaining).toBe(600);

    const seen: OperationCost[] = [];
    const service = createClient({ url: t.url, clientKey: key, onCost: (cost) => seen.push(cost) });
    await service.graphql<{ clientKeys: { nodes: Array<{ id: string }> } }>('{ clientKeys(first: 20) { nodes { id } } }');
    // A connection of up to 20 keys: 1 + 1 estimated (its nodes are objects with scalars only); the actual cost is the same shape.
    expect(service.lastCost).toMatchObject({ estimated: 2, actual: 2, credits: { remaining: 598 } });
    expect(service.lastCost?.limits.map((l) => [l.name, l.remaining])).toEqual([
      ['default', 99],
      ['cost', 38],
    ]);
    expect(seen).toHaveLength(1);

    // Above the key's cap: refused before it runs, with the estimate and the cap.
    const refused = await service.graphql('{ clientKeys(first: 50) { nodes { id owner { id } } } }').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KeygateError);
    expect(refused).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', details: { cost: { estimated: 52, max: 30 } } });
  });
});
