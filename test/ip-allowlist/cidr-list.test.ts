import { BadUserInputError } from '../../src/errors/app-errors';
import { CidrAllowlist, checkAllowedCidrs, cidrsNarrowed, cidrsWithin, MAX_CIDRS } from '../../src/ip-allowlist/cidr-list';

describe('checkAllowedCidrs', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['203.0.113.77/24', '203.0.113.0/24'],
    [' 10.1.2.3 ', '10.1.2.3/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::1/32', '2001:db8::/32'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['::/0', '::/0'],
    ['::ffff:192.0.2.0/120', '192.0.2.0/24'],
    ['::ffff:192.0.2.9', '192.0.2.9/32'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(checkAllowedCidrs([input])).toEqual([canonical]);
  });

  it.each(['', 'nope', '10.0.0.0/33', '2001:db8::/129', '10.0.0/8', '0x0a.0.0.1/8', '10.0.0.1/8/8', 'fe80::1%eth0/64', '1.2.3.4/-1', 'x'.repeat(500)])(
    'refuses %j naming the field and the position, without the value',
    (input) => {
      let error: unknown;
      try {
        checkAllowedCidrs(['10.0.0.0/8', input]);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(BadUserInputError);
      expect((error as BadUserInputError).field).toBe('allowedCidrs');
      expect((error as Error).message).toContain('entry 2');
      if (input.length > 1) expect((error as Error).message).not.toContain(input);
    },
  );

  it('removes duplicates, treats null as none, and caps the list', () => {
    expect(checkAllowedCidrs(['10.0.0.1/8', '10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    expect(checkAllowedCidrs(null)).toEqual([]);
    expect(() => checkAllowedCidrs(Array.from({ length: MAX_CIDRS + 1 }, (_, i) => `10.0.${i}.0/24`))).toThrow(BadUserInputError);
  });
});

describe('CidrAllowlist', () => {
  const list = new CidrAllowlist(checkAllowedCidrs(['203.0.113.0/24', '2001:db8::/32', '::ffff:198.51.100.0/120']));

  it.each([
    ['203.0.113.1', true],
    ['203.0.114.1', false],
    ['::ffff:203.0.113.9', true],
    ['::ffff:cb00:7109', true],
    ['::ffff:203.0.114.9', false],
    ['198.51.100.20', true],
    ['::ffff:198.51.100.20', true],
    ['2001:db8:1::5', true],
    ['2001:db9::5', false],
    ['[2001:db8::5]:443', true],
    ['203.0.113.1:8080', true],
    ['::1', false],
    ['unknown', false],
    ['', false],
  ])('%s allowed: %s', (address, allowed) => {
    expect(list.allows(address)).toBe(allowed);
  });

  it('is absent for an empty list (anywhere)', () => {
    expect(CidrAllowlist.of([])).toBeUndefined();
    expect(CidrAllowlist.of(['10.0.0.0/8'])?.allows('10.9.9.9')).toBe(true);
  });
});

describe('cidrsWithin', () => {
  it.each([
    [[], [], []],
    [['10.0.0.0/8'], [], ['10.0.0.0/8']],
    [[], ['10.0.0.0/8', '2001:db8::/32'], ['10.0.0.0/8', '2001:db8::/32']],
    [['10.1.0.0/16'], ['10.0.0.0/8'], ['10.1.0.0/16']],
    [['10.0.0.0/8'], ['10.1.0.0/16', '10.2.0.0/16', '192.0.2.0/24'], ['10.1.0.0/16', '10.2.0.0/16']],
    [['10.1.0.0/16', '10.1.2.0/24'], ['10.1.0.0/16'], ['10.1.0.0/16', '10.1.2.0/24']],
    [['2001:db8::/32', '10.0.0.0/8'], ['2001:db8:1::/48'], ['2001:db8:1::/48']],
  ])('keeps of %j what lies within %j: %j', (child, ceiling, expected) => {
    expect(cidrsWithin(child, ceiling)).toEqual(expected);
  });

  it('is null when no address is left (never the empty list, which would mean anywhere)', () => {
    expect(cidrsWithin(['10.200.0.0/16'], ['10.1.0.0/16'])).toBeNull();
    expect(cidrsWithin(['2001:db8::/32'], ['10.0.0.0/8'])).toBeNull();
  });
});

describe('cidrsWithin, at scale', () => {
  it('keeps at most MAX_CIDRS ranges (fewer ranges only narrow further)', () => {
    const hosts = (prefix: string) => Array.from({ length: MAX_CIDRS - 1 }, (_, i) => `${prefix}.0.0.${i}/32`);
    const kept = cidrsWithin([...hosts('10'), '11.0.0.0/8'], ['10.0.0.0/8', ...hosts('11')])!;
    expect(kept).toHaveLength(MAX_CIDRS);
    const ceiling = new CidrAllowlist(['10.0.0.0/8', ...hosts('11')]);
    expect(kept.every((cidr) => ceiling.contains(cidr))).toBe(true);
  });
});

describe('cidrsNarrowed', () => {
  it.each([
    [[], [], false],
    [['10.0.0.0/8'], [], false],
    [[], ['10.0.0.0/8'], true],
    [['10.0.0.0/8'], ['10.0.0.0/7'], false],
    [['10.0.0.0/8'], ['10.1.0.0/16'], true],
    [['10.1.0.0/16', '10.2.0.0/16'], ['10.0.0.0/8'], false],
    [['10.1.0.0/16', '2001:db8::/32'], ['10.0.0.0/8'], true],
  ])('from %j to %j: %s', (current, next, expected) => {
    expect(cidrsNarrowed(current, next)).toBe(expected);
  });
});
