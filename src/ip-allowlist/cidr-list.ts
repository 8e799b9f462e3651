import ipaddr from 'ipaddr.js';
import { BadUserInputError } from '../errors/app-errors';

/** Enough for any real allowlist, few enough that matching stays a short loop. */
export const MAX_CIDRS = 100;

/**
 * One CIDR in its canonical form, or undefined when it is not one. A bare address is taken as a
 * single host (/32 or /128); host bits are cleared (10.1.2.3/8 is 10.0.0.0/8); an IPv4-mapped IPv6
 * range (::ffff:10.0.0.0/104) is stored as the IPv4 range it means, since clients are compared as IPv4.
 */
function canonical(text: string): string | undefined {
  const value = text.trim();
  if (value.length === 0 || value.length > 60) return undefined;
  const cidr = value.includes('/') ? value : `${value}/${value.includes(':') ? 128 : 32}`;
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) {
    const [, bits] = ipaddr.IPv4.parseCIDR(cidr);
    return `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${bits}`;
  }
  if (!ipaddr.IPv6.isValidCIDR(cidr) || value.includes('%')) return undefined;
  const [address, bits] = ipaddr.IPv6.parseCIDR(cidr);
  if (address.isIPv4MappedAddress() && bits >= 96) {
    return canonical(`${address.toIPv4Address().toString()}/${bits - 96}`);
  }
  return `${ipaddr.IPv6.networkAddressFromCIDR(cidr).toString()}/${bits}`;
}

/**
 * Validates a key's allowedCidrs (BAD_USER_INPUT naming the field and the entry's position, never
 * its value) and returns them canonical and without duplicates. Null or absent means none.
 */
export function checkAllowedCidrs(values: readonly string[] | null | undefined, field = 'allowedCidrs'): string[] {
  if (values == null) return [];
  if (values.length > MAX_CIDRS) throw new BadUserInputError(field, `at most ${MAX_CIDRS} ranges`);
  const result: string[] = [];
  values.forEach((value, index) => {
    const cidr = typeof value === 'string' ? canonical(value) : undefined;
    if (cidr === undefined) {
      throw new BadUserInputError(field, `entry ${index + 1} is not an IPv4 or IPv6 CIDR (such as 203.0.113.0/24 or 2001:db8::/32)`);
    }
    if (!result.includes(cidr)) result.push(cidr);
  });
  return result;
}

/** The client's address as ipaddr sees it; IPv4-mapped IPv6 (::ffff:1.2.3.4) becomes IPv4. */
function parseClientAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  let text = address.trim();
  // A proxy may write "[v6]:port" or "v4:port" into X-Forwarded-For.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.indexOf(':'));
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  return ipaddr.process(text);
}

type ParsedCidr = { text: string; network: ipaddr.IPv4 | ipaddr.IPv6; bits: number };

/** A canonical CIDR (as checkAllowedCidrs returns them) parsed once, without ipaddr's try-one-family-then-the-other. */
function parsed(text: string): ParsedCidr {
  const [network, bits] = text.includes(':') ? ipaddr.IPv6.parseCIDR(text) : ipaddr.IPv4.parseCIDR(text);
  return { text, network, bits };
}

/** Whether `inner` lies wholly inside `outer`. */
function nests(inner: ParsedCidr, outer: ParsedCidr): boolean {
  return inner.network.kind() === outer.network.kind() && inner.bits >= outer.bits && inner.network.match(outer.network, outer.bits);
}

/** A key's allowlist, parsed once when the key is loaded into the verification cache. */
export class CidrAllowlist {
  private readonly v4: ParsedCidr[] = [];
  private readonly v6: ParsedCidr[] = [];

  constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const range = parsed(cidr);
      (range.network.kind() === 'ipv4' ? this.v4 : this.v6).push(range);
    }
  }

  /** Undefined for an empty list: the key is usable from anywhere and nothing needs checking. */
  static of(cidrs: readonly string[] | null | undefined): CidrAllowlist | undefined {
    return cidrs && cidrs.length > 0 ? new CidrAllowlist(cidrs) : undefined;
  }

  /** Whether a canonical CIDR lies wholly inside one of these ranges. */
  contains(cidr: string): boolean {
    const inner = parsed(cidr);
    return (inner.network.kind() === 'ipv4' ? this.v4 : this.v6).some((outer) => nests(inner, outer));
  }

  /** Whether a request from `address` may use the key; an address that cannot be parsed may not. */
  allows(address: string): boolean {
    const client = parseClientAddress(address);
    if (!client) return false;
    const ranges = client.kind() === 'ipv4' ? this.v4 : this.v6;
    for (const { network, bits } of ranges) if (client.match(network, bits)) return true;
    return false;
  }
}

/**
 * The ranges of `child` that lie within `ceiling`: what a key minted under another keeps once that
 * other is narrowed. CIDR blocks are either nested or disjoint, so each pair contributes the
 * smaller block or nothing. An empty list means "anywhere": an unrestricted child takes the
 * ceiling's list, an unrestricted ceiling leaves the child as it is. Null: no address is left.
 * At most MAX_CIDRS ranges are kept (dropping ranges only narrows further). Each list is parsed
 * once: 100 ranges against 100 cost 10,000 comparisons of parsed addresses, not of strings.
 */
export function cidrsWithin(child: readonly string[], ceiling: readonly string[]): string[] | null {
  if (ceiling.length === 0) return [...child];
  if (child.length === 0) return ceiling.slice(0, MAX_CIDRS);
  const bounds = ceiling.map(parsed);
  const kept = new Set<string>();
  for (const range of child.map(parsed)) {
    if (bounds.some((bound) => nests(range, bound))) kept.add(range.text);
    // Wider than some of the ceiling's blocks: those blocks are what is left of it.
    else for (const bound of bounds) if (nests(bound, range)) kept.add(bound.text);
  }
  const result = [...kept].slice(0, MAX_CIDRS);
  return result.length > 0 ? result : null;
}

/** Whether `next` takes away any address `current` allows (an empty list allows every address). */
export function cidrsNarrowed(current: readonly string[], next: readonly string[]): boolean {
  if (next.length === 0) return false;
  if (current.length === 0) return true;
  const bounds = next.map(parsed);
  return !current.map(parsed).every((range) => bounds.some((bound) => nests(range, bound)));
}
