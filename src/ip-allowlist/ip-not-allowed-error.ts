import { AppError } from '../errors/app-errors';

/** A key used from outside its allowedCidrs: FORBIDDEN, HTTP 403, reason IP_NOT_ALLOWED. */
export class IpNotAllowedError extends AppError {
  readonly code = 'FORBIDDEN';
  override readonly httpStatus = 403;
  constructor() {
    super('This client key may not be used from this address');
  }
  override details() {
    return { reason: 'IP_NOT_ALLOWED' };
  }
}
