import type { Principal } from './principal';

/** Who performs a change and from where: services authorise with it and audit it. */
export interface Actor {
  principal: Principal;
  ip: string;
  userAgent: string | null;
}
