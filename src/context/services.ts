import type { AuditService } from '../audit/audit.service';
import type { AuthService } from '../auth/auth.service';
import type { ClientKeysService } from '../client-keys/client-keys.service';
import type { UsageService } from '../usage/usage.service';
import type { UsersService } from '../users/users.service';

/** The application's services, created once at start-up and shared by every request. */
export interface Services {
  users: UsersService;
  auth: AuthService;
  clientKeys: ClientKeysService;
  audit: AuditService;
  usage: UsageService;
}
