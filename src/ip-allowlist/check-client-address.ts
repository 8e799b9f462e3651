import type { Principal } from '../context/principal';
import { IpNotAllowedError } from './ip-not-allowed-error';

/**
 * Refuses a client key used from outside its allowedCidrs (FORBIDDEN, IP_NOT_ALLOWED, HTTP 403).
 * Call it right after authentication and before the rate limit, so a refused request spends none
 * of the key's budget. Answered from the cached key: no database trip.
 */
export function checkClientAddress(principal: Principal | undefined, address: string): void {
  if (principal?.kind === 'CLIENT_KEY' && principal.allowedFrom && !principal.allowedFrom.allows(address)) throw new IpNotAllowedError();
}
