import { VIEWER } from '../support/documents';
import { startTestApp, type TestApp } from '../support/test-app';

describe('viewer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('describes a user session from the token alone, with no database query', async () => {
    const member = await t.member('viewer');
    t.takeQueries();
    const res = await t.gql(VIEWER, {}, member);
    expect(t.takeQueries()).toEqual([]);
    expect(res.data.viewer).toEqual({
      kind: 'USER',
      id: member.userId,
      userId: member.userId,
      scopes: ['read:audit', 'read:clientkeys', 'write:clientkeys'],
      keyPrefix: null,
      expiresAt: null,
      rateLimitPerMinute: null,
    });
  });

  it('is UNAUTHENTICATED for an anonymous caller', async () => {
    const res = await t.gql(VIEWER);
    expect(res.status).toBe(401);
    expect(res.code).toBe('UNAUTHENTICATED');
  });
});
