import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';
import type { ProxyTrust } from '../config/trust-proxy';

/** What a request whose socket is already gone reports: matches no range, stored as no address. */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * One spelling per address, so that a throttle or an allowlist sees one client once: IPv4-mapped
 * IPv6 as IPv4, IPv6 compressed and lower-case, no zone index. Null when it is not an address.
 */
export function canonicalAddress(address: string): string | null {
  const bare = address.includes('%') ? address.slice(0, address.indexOf('%')) : address;
  // Node's strict check first: no inet_aton forms ("1", "0x7f.1"), and no exception thrown per junk entry.
  const family = isIP(bare);
  if (family === 4) return bare;
  if (family === 0) return null;
  return ipaddr.process(bare).toString();
}

/**
 * The caller's address, decided as Express's `trust proxy` decides it (proxy-addr): walking
 * X-Forwarded-For from the right, the first hop that is not a trusted proxy is the client, so an
 * entry the client wrote itself is never believed. An entry that is not an address ends the walk
 * at the proxy that reported it: junk never becomes an address, nor a fresh throttle bucket.
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust): string {
  const socket = req.socket.remoteAddress;
  if (!socket) return UNKNOWN_ADDRESS;
  if (trust === false) return canonicalAddress(socket) ?? UNKNOWN_ADDRESS;
  // [socket, trusted proxies..., client]: every entry but the last passed `trust`.
  const chain = proxyaddr.all(req, trust);
  let address = canonicalAddress(socket) ?? UNKNOWN_ADDRESS;
  for (let i = 1; i < chain.length; i++) {
    const next = canonicalAddress(chain[i]);
    if (next === null) break;
    address = next;
  }
  return address;
}
