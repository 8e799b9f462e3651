import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/**
 * Which hops of a request's X-Forwarded-For chain are proxies Keygate trusts, as Express's
 * `trust proxy` decides it: `hop` 0 is the socket's peer, 1 the address it reported, and so on.
 * False: no proxy, the socket's address is the client's.
 */
export type ProxyTrust = false | ((address: string, hop: number) => boolean);

const MAX_HOPS = 32;

/**
 * TRUST_PROXY: `false` (default), a number of proxy hops, or a comma-separated list of trusted
 * proxy addresses/CIDRs (and proxy-addr's `loopback`, `linklocal`, `uniquelocal`). `true` is
 * refused: Express reads it as "trust every hop", which makes the leftmost entry, one the client
 * wrote itself, the client's address.
 */
export const trustProxySetting = z
  .string()
  .optional()
  .transform((value, ctx): ProxyTrust => {
    const v = value?.trim() ?? '';
    if (v === '' || v.toLowerCase() === 'false' || v === '0') return false;
    if (v.toLowerCase() === 'true') {
      ctx.addIssue({
        code: 'custom',
        message: `"true" would believe any X-Forwarded-For entry a client writes; write the number of proxies in front of Keygate (such as 1) or their addresses (such as 10.0.0.0/8) (got "${value}")`,
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops > MAX_HOPS) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_HOPS} proxy hops (got "${value}")` });
        return z.NEVER;
      }
      // Express's form for a hop count: the first `hops` entries from the socket inwards are proxies.
      return (_address, hop) => hop < hops;
    }
    const entries = v.split(',').map((entry) => entry.trim());
    try {
      if (entries.some((entry) => entry === '')) throw new TypeError('empty entry');
      return proxyaddr.compile(entries);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `must be false, a number of proxy hops (such as 1) or comma-separated proxy addresses or CIDRs (such as 10.0.0.0/8, 192.0.2.7) (got ${JSON.stringify(value)})`,
      });
      return z.NEVER;
    }
  });
