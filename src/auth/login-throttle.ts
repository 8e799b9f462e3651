import type { Redis } from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors/app-errors';
import { AttemptCounter } from './attempt-counter';

export interface LoginLimits {
  perIpPerMinute: number;
  failuresPerEmail: number;
}

const EMAIL_WINDOW_SECONDS = 15 * 60;

/**
 * Slows password guessing two ways: every attempt counts against the client address, and
 * against the email until one succeeds (a success clears the email's count). Both are reserved
 * with an atomic consume BEFORE the password is checked, in memory and in Redis alike: forty
 * concurrent guesses for one email get at most `failuresPerEmail` password checks, not forty.
 */
export class LoginThrottle {
  private readonly byIp: AttemptCounter;
  private readonly byEmail: AttemptCounter;

  constructor(limits: LoginLimits, redis?: Redis) {
    this.byIp = new AttemptCounter(redis, 'keygate:login:ip', limits.perIpPerMinute, 60);
    this.byEmail = new AttemptCounter(redis, 'keygate:login:email', limits.failuresPerEmail, EMAIL_WINDOW_SECONDS);
  }

  async beforeAttempt(ip: string, email: string): Promise<void> {
    try {
      await this.byIp.consume(ip);
      await this.byEmail.consume(email);
    } catch (res) {
      throw this.refusal(res);
    }
  }

  async onSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }

  private refusal(res: unknown): Error {
    if (!(res instanceof RateLimiterRes)) return res as Error;
    return new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)), {}, 'Too many login attempts, try again later');
  }
}
