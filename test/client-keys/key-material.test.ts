import { generateKey, hashKey, isWellFormedKey, KEY_LENGTH } from '../../src/client-keys/key-material';

describe('key material', () => {
  it('has a recognisable prefix, a fixed length and a display prefix', () => {
    const { key, prefix, hash } = generateKey();
    expect(key).toMatch(/^kg_[0-9A-Za-z]{46}$/);
    expect(key).toHaveLength(KEY_LENGTH);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix).toHaveLength(11);
    expect(hash).toEqual(hashKey(key));
    expect(hash).toHaveLength(32);
  });

  it('carries at least 128 random bits and never repeats', () => {
    // 40 base62 characters: 40 * log2(62) ≈ 238 bits.
    expect(40 * Math.log2(62)).toBeGreaterThan(128);
    const keys = new Set(Array.from({ length: 2000 }, () => generateKey().key));
    expect(keys.size).toBe(2000);
    const chars = new Set([...keys].flatMap((k) => [...k.slice(3, 43)]));
    expect(chars.size).toBe(62);
  });

  it('accepts its own keys and rejects mistyped, truncated or foreign ones offline', () => {
    for (let i = 0; i < 200; i++) {
      const { key } = generateKey();
      expect(isWellFormedKey(key)).toBe(true);
      const at = 3 + (i % 46);
      const typo = key.slice(0, at) + (key[at] === 'a' ? 'b' : 'a') + key.slice(at + 1);
      expect(isWellFormedKey(typo)).toBe(false);
      expect(isWellFormedKey(key.slice(0, -1))).toBe(false);
      expect(isWellFormedKey(key + 'x')).toBe(false);
    }
    expect(isWellFormedKey('fbk_' + 'a'.repeat(45))).toBe(false);
    expect(isWellFormedKey('')).toBe(false);
  });
});
