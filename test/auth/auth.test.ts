import { ADMIN, startTestApp, type TestApp } from '../support/test-app';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresIn user { email role } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`;
const LOGOUT = `mutation($t: String!) { logout(refreshToken: $t) }`;
const ME = `{ me { email role } }`;

describe('login, refresh and logout over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('logs in the admin from ADMIN_EMAIL/ADMIN_PASSWORD and answers me', async () => {
    const res = await t.gql(LOGIN, { e: ADMIN.email, p: ADMIN.password });
    expect(res.data.login).toMatchObject({ expiresIn: 900, user: { email: ADMIN.email, role: 'ADMIN' } });
    const me = await t.gql(ME, {}, { token: res.data.login.accessToken });
    expect(me.data).toEqual({ me: { email: ADMIN.email, role: 'ADMIN' } });
  });

  it('accepts the email in any case', async () => {
    const res = await t.gql(LOGIN, { e: ADMIN.email.toUpperCase(), p: ADMIN.password });
    expect(res.data?.login.user.email).toBe(ADMIN.email);
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const unknown = await t.gql(LOGIN, { e: 'nobody@example.com', p: ADMIN.password });
    const wrong = await t.gql(LOGIN, { e: ADMIN.email, p: 'wrong-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.errors).toEqual(wrong.errors);
    expect(unknown.code).toBe('UNAUTHENTICATED');
  });

  it('does not match a password longer than bcrypt reads on its prefix', async () => {
    const res = await t.gql(LOGIN, { e: ADMIN.email, p: ADMIN.password + 'x'.repeat(80) });
    expect(res.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a forged or malformed access token with 401', async () => {
    const { token } = await t.login();
    const [h, p] = token.split('.');
    const forged = await t.gql(ME, {}, { token: `${h}.${p}.AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]).toMatchObject({ message: 'Invalid access token', extensions: { code: 'UNAUTHENTICATED' } });
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: '{"query":"{ me { email } }"}',
    });
    expect(res.status).toBe(401);
  });

  it('rotates refresh tokens and refuses a reused one, ending the whole session', async () => {
    const first = await t.login();
    const second = await t.gql(REFRESH, { t: first.refreshToken });
    expect(second.data.refreshToken.refreshToken).not.toBe(first.refreshToken);
    const me = await t.gql(ME, {}, { token: second.data.refreshToken.accessToken });
    expect(me.data.me.email).toBe(ADMIN.email);

    const reused = await t.gql(REFRESH, { t: first.refreshToken });
    expect(reused.code).toBe('UNAUTHENTICATED');
    // Reuse means theft: the successor issued to the legitimate holder is revoked too.
    const successor = await t.gql(REFRESH, { t: second.data.refreshToken.refreshToken });
    expect(successor.code).toBe('UNAUTHENTICATED');
  });

  it('refuses unknown refresh tokens', async () => {
    expect((await t.gql(REFRESH, { t: 'kgr_nope' })).code).toBe('UNAUTHENTICATED');
    expect((await t.gql(REFRESH, { t: 'garbage' })).code).toBe('UNAUTHENTICATED');
  });

  it('logout ends the session of the refresh token', async () => {
    const session = await t.login();
    expect((await t.gql(LOGOUT, { t: session.refreshToken })).data).toEqual({ logout: true });
    expect((await t.gql(REFRESH, { t: session.refreshToken })).code).toBe('UNAUTHENTICATED');
    expect((await t.gql(LOGOUT, { t: 'kgr_unknown' })).data).toEqual({ logout: true });
  });

  it('logout without a token ends every session of the logged-in user', async () => {
    const one = await t.login();
    const two = await t.login();
    expect((await t.gql(`mutation { logout }`, {}, { token: one.token })).data).toEqual({ logout: true });
    expect((await t.gql(REFRESH, { t: one.refreshToken })).code).toBe('UNAUTHENTICATED');
    expect((await t.gql(REFRESH, { t: two.refreshToken })).code).toBe('UNAUTHENTICATED');
    expect((await t.gql(`mutation { logout }`)).data).toEqual({ logout: true });
  });

  it('stores refresh tokens only as hashes', async () => {
    const session = await t.login();
    const rows: Array<{ token_hash: Buffer }> = await t.app.dataSource.query('SELECT token_hash FROM refresh_tokens');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.token_hash).toHaveLength(32);
      expect(row.token_hash.toString('utf8')).not.toContain(session.refreshToken);
    }
  });
});

describe('login throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: (c) => ({ ...c, loginLimits: { perIpPerMinute: 8, failuresPerEmail: 3 } }) });
  });
  afterAll(() => t.close());

  it('locks an email after repeated failures, with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await t.gql(LOGIN, { e: ADMIN.email, p: 'wrong-password' })).code).toBe('UNAUTHENTICATED');
    const locked = await t.gql(LOGIN, { e: ADMIN.email, p: ADMIN.password });
    expect(locked.status).toBe(429);
    expect(locked.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits attempts per client address across emails', async () => {
    let limited = 0;
    for (let i = 0; i < 8; i++) {
      const res = await t.gql(LOGIN, { e: `someone-${i}@example.com`, p: 'whatever-password' });
      if (res.code === 'RATE_LIMITED') limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });
});
