import type { AuthService } from '../auth/auth.service';
import type { UsersService } from '../users/users.service';

/** The application's services, created once at start-up and shared by every request. */
export interface Services {
  users: UsersService;
  auth: AuthService;
}
