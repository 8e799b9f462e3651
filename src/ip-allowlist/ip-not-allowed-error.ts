import { AppError } from '../errors/app-errors';

/** A key used from outside its allowedCidrs: FORBIDDEN (HTTP 403 by errors/error-policy.ts: refused before anything ran), reason IP_NOT_ALLOWED. */
export class IpNotAllowedError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor() {
    super('This client key may not be used from this address');
  }
  override details() {
    return { reason: 'IP_NOT_ALLOWED' };
  }
}
