import { startTestApp, type TestApp } from './test-app';

export interface TwoInstances {
  /** The instance a test changes things on. */
  a: TestApp;
  /** A second instance on the same database, whose caches must follow A's changes. */
  b: TestApp;
  /** The admin, signed in on A. */
  admin: { token: string; userId: string };
}

/**
 * Two Keygate instances sharing one database, started before the suite and closed after it:
 * call inside a `describe`, and read `a`, `b` and `admin` from the returned object in its tests.
 */
export function useTwoInstances(): TwoInstances {
  const two = {} as TwoInstances;
  beforeAll(async () => {
    two.a = await startTestApp();
    two.b = await startTestApp({ db: two.a.db });
    two.admin = await two.a.login();
  });
  afterAll(async () => {
    await two.b?.close();
    await two.a?.close();
  });
  return two;
}
