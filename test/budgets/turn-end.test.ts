import { TurnEnd } from '../../src/budgets/turn-end';

describe('TurnEnd', () => {
  it('gives the waiters of one turn one promise, resolved after the turn, and the next turn a new one', async () => {
    const turn = new TurnEnd();
    const first = turn.wait();
    expect(turn.wait()).toBe(first);
    const order: string[] = [];
    const ended = first.then(() => order.push('turn ended'));
    await Promise.resolve();
    order.push('same turn');
    await ended;
    expect(order).toEqual(['same turn', 'turn ended']);
    const next = turn.wait();
    expect(next).not.toBe(first);
    await next;
  });
});
