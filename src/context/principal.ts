import type { UserRole } from '../users/user-role';

/** Who is calling, as established once per request from its credentials. */
export type Principal = UserPrincipal | ClientKeyPrincipal;

export interface UserPrincipal {
  kind: 'USER';
  id: string;
  userId: string;
  role: UserRole;
  scopes: ReadonlySet<string>;
}

export interface ClientKeyPrincipal {
  kind: 'CLIENT_KEY';
  id: string;
  /** The key's owner: keys act on the owner's resources, within the key's scopes. */
  userId: string;
  role: UserRole;
  scopes: ReadonlySet<string>;
  keyPrefix: string;
  expiresAt: Date | null;
  rateLimitPerMinute: number;
  /** The key's allowedCidrs, parsed once; absent when it may be used from anywhere. */
  allowedFrom?: { readonly cidrs: readonly string[]; allows(address: string): boolean; contains(cidr: string): boolean };
}
