import net from 'node:net';
import { explainStartupFailure } from '../../src/logging/startup-failure';

const AT = { dataDir: '/nonexistent/keygate', port: 8080, host: '0.0.0.0', embedded: false };

describe('start-up failure reasons', () => {
  it('names a port already in use, and what to do', async () => {
    const first = net.createServer();
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    const { port } = first.address() as net.AddressInfo;
    const second = net.createServer();
    const err = await new Promise((resolve) => second.once('error', resolve).listen(port, '127.0.0.1'));
    first.close();
    expect(explainStartupFailure(err, { ...AT, port, host: '127.0.0.1' })).toBe(
      `port ${port} on 127.0.0.1 is already in use; stop what is using it or choose another PORT`,
    );
  });

  it('names an unreachable PostgreSQL without repeating DATABASE_URL (it holds a password)', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1 });
    expect(explainStartupFailure(err, AT)).toBe('cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED); start it or fix DATABASE_URL');
    const auth = Object.assign(new Error('password authentication failed for user "kg"'), { code: '28P01' });
    expect(explainStartupFailure(auth, AT)).toBe('PostgreSQL refused the user or password in DATABASE_URL; fix DATABASE_URL');
  });

  it('keeps the first line of anything else', () => {
    expect(explainStartupFailure(new Error('boom\n  at somewhere'), AT)).toBe('boom; run with LOG_LEVEL=debug for details');
  });
});
