import { ForbiddenError } from '../errors/app-errors';
import { CidrAllowlist, checkAllowedCidrs } from './cidr-list';

/** FORBIDDEN about allowedCidrs, like the other limits on what a key may do to keys: no scope would allow it. */
export class CidrWideningError extends ForbiddenError {
  readonly field = 'allowedCidrs';
  constructor(message = 'A key restricted by allowedCidrs cannot give a key ranges outside its own') {
    super([], message);
  }
  override details() {
    return { ...super.details(), field: this.field };
  }
}

/**
 * The allowedCidrs a caller may give a key. A client key restricted to some addresses cannot
 * mint or edit a key usable from elsewhere (else one request from inside would carry the
 * restriction away): its keys' ranges must lie inside its own, and a key it creates without a
 * list inherits its list. Users and unrestricted keys may set any valid list.
 * `actingKeyCidrs` is the acting key's list as read (and locked) in the change's own transaction,
 * never the cached copy it authenticated with: a narrowing committed a moment earlier counts.
 * Undefined for a user. `requested` undefined/null means "not given" (create: inherit).
 * `refusal` words the error for callers that check an existing key's list rather than set one (rotation).
 */
export function allowedCidrsFor(actingKeyCidrs: readonly string[] | undefined, requested: readonly string[] | null | undefined, refusal?: string): string[] {
  const cidrs = checkAllowedCidrs(requested);
  const own = CidrAllowlist.of(actingKeyCidrs);
  if (!own) return cidrs;
  if (requested == null) return [...own.cidrs];
  if (cidrs.length === 0 || !cidrs.every((cidr) => own.contains(cidr))) {
    throw new CidrWideningError(refusal);
  }
  return cidrs;
}
