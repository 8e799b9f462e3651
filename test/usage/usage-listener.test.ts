import { GraphQLError } from 'graphql';
import { createLogger } from '../../src/logging/logger';
import { type UsageEvent, UsageRecorder } from '../../src/usage/usage-recorder';
import { usageListener } from '../../src/usage/usage-listener';

/** The adapter from a pipeline's per-request outcome to the recorder. */
describe('usageListener', () => {
  const key = { kind: 'CLIENT_KEY', id: 'k1' };
  let events: UsageEvent[];
  let listener: ReturnType<typeof usageListener>;
  beforeEach(() => {
    events = [];
    const recorder = new UsageRecorder({ query: async () => ({ rowCount: 0 }) }, createLogger('silent'));
    recorder.record = (event) => void events.push(event);
    listener = usageListener(recorder, (e) => (e as GraphQLError).extensions?.code as string | undefined);
  });

  it('counts keys only', () => {
    listener({ principal: { kind: 'USER', id: 'u1' }, rootFields: ['Query.viewer'], errors: [], rateLimited: false, latencyMs: 1 });
    listener({ rootFields: [], errors: [], rateLimited: false, latencyMs: 1 });
    expect(events).toHaveLength(0);
  });

  it('separates rate-limit refusals from errors and attributes field errors by path', () => {
    listener({
      principal: key,
      rootFields: ['Query.viewer', 'Query.users', 'Query.users'],
      errors: [new GraphQLError('no', { path: ['users'], extensions: { code: 'FORBIDDEN' } })],
      rateLimited: false,
      latencyMs: 3,
    });
    listener({
      principal: key,
      rootFields: [],
      errors: [new GraphQLError('slow down', { extensions: { code: 'RATE_LIMITED' } })],
      rateLimited: true,
      latencyMs: 1,
    });
    expect(events[0]).toMatchObject({ keyId: 'k1', errored: true, rateLimited: false, latencyMs: 3 });
    expect([...events[0].coordinates!]).toEqual(['Query.viewer', 'Query.users']);
    expect([...events[0].failedCoordinates!]).toEqual(['Query.users']);
    expect(events[1]).toMatchObject({ errored: false, rateLimited: true });
  });
});
