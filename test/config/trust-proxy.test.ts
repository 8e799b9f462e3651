import { ConfigError, loadConfig } from '../../src/config/config';

/** TRUST_PROXY is parsed once, at start-up: Express's `trust proxy` forms, except `true`. */
describe('TRUST_PROXY', () => {
  const trust = (value: string | undefined) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;
  const refusal = (value: string): string => {
    try {
      loadConfig({ TRUST_PROXY: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error(`TRUST_PROXY=${value} was accepted`);
  };

  it.each([undefined, '', 'false', 'FALSE', '0'])('%j trusts no proxy: the socket address', (value) => {
    expect(trust(value)).toBe(false);
  });

  it('takes a number of hops: that many entries from the socket inwards are proxies', () => {
    const hops = trust('2');
    expect(hops).not.toBe(false);
    if (hops === false) return;
    expect([0, 1, 2].map((hop) => hops('192.0.2.1', hop))).toEqual([true, true, false]);
  });

  it('takes comma-separated proxy addresses and CIDRs (and proxy-addr names)', () => {
    const listed = trust('10.0.0.0/8, 192.0.2.7,2001:db8::/32, loopback');
    if (listed === false) throw new Error('expected a trust function');
    expect(['10.1.2.3', '192.0.2.7', '192.0.2.8', '2001:db8::1', '127.0.0.1', '203.0.113.5'].map((a) => listed(a, 0))).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it('refuses true with one line that says what to write instead, quoting the value', () => {
    const message = refusal('true');
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Invalid configuration: TRUST_PROXY /);
    expect(message).toContain('(got "true")');
    expect(message).toMatch(/number of proxies.*such as 1.*such as 10\.0\.0\.0\/8/);
  });

  it.each(['yes', '10.0.0.0/33', '10.0.0.0/8,,192.0.2.1', 'proxy.example.com', '-1', '1.5', '999'])('refuses %j naming TRUST_PROXY and quoting it', (value) => {
    const message = refusal(value);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Invalid configuration: TRUST_PROXY /);
    expect(message).toContain(JSON.stringify(value));
  });
});
