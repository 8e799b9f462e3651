/** Where a counter lives in Redis: a hash, and its field (a window: the prefix of its fields). */
export interface RedisPlace {
  hash: string;
  field: string;
}

/** Separates a counter id's group from its name: `<group>|<name>`. */
export const GROUP_SEPARATOR = '|';

/**
 * A counter whose id is `<group>|<name>` (a payer's: `k:<key id>|default`) is a field of its
 * group's hash `p:<group>`, beside the group's other counters, so that a request reads and writes
 * each payer once. A window's fields are `<period>:<name>:` followed by a slot number or t, n, o
 * (limit names hold no ':' or '|', so no window's fields are another's); a balance's field is
 * `b:<name>`. A counter without a group has a hash of its own (its key), as in the tests.
 */
export function redisPlace(key: string): RedisPlace {
  const bar = key.indexOf(GROUP_SEPARATOR);
  if (key.startsWith('w:')) {
    const colon = key.indexOf(':', 2);
    if (bar < 0) return { hash: key, field: '' };
    return { hash: `p:${key.slice(colon + 1, bar)}`, field: `${key.slice(2, colon)}:${key.slice(bar + 1)}:` };
  }
  if (bar < 0) return { hash: key, field: 'v' };
  return { hash: `p:${key.slice(2, bar)}`, field: `b:${key.slice(bar + 1)}` };
}
