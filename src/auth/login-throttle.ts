import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors/app-errors';

export interface LoginLimits {
  perIpPerMinute: number;
  failuresPerEmail: number;
}

const EMAIL_WINDOW_SECONDS = 15 * 60;

/**
 * Slows password guessing two ways: every attempt counts against the client address,
 * and failed attempts count against the email (a success clears that count).
 */
export class LoginThrottle {
  private readonly byIp: RateLimiterMemory;
  private readonly byEmail: RateLimiterMemory;

  constructor(private readonly limits: LoginLimits) {
    this.byIp = new RateLimiterMemory({ keyPrefix: 'login_ip', points: limits.perIpPerMinute, duration: 60 });
    this.byEmail = new RateLimiterMemory({ keyPrefix: 'login_email', points: limits.failuresPerEmail, duration: EMAIL_WINDOW_SECONDS });
  }

  async beforeAttempt(ip: string, email: string): Promise<void> {
    try {
      await this.byIp.consume(ip);
    } catch (res) {
      throw this.refusal(res);
    }
    const failures = await this.byEmail.get(email);
    if (failures && failures.consumedPoints >= this.limits.failuresPerEmail) throw this.refusal(failures);
  }

  async onFailure(email: string): Promise<void> {
    await this.byEmail.penalty(email, 1);
  }

  async onSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }

  private refusal(res: unknown): Error {
    if (!(res instanceof RateLimiterRes)) return res as Error;
    return new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)), {}, 'Too many login attempts, try again later');
  }
}
