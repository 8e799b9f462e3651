import type DataLoader from 'dataloader';
import type { User } from './user.entity';
import type { UsersService } from './users.service';

// What the users feature adds to every request's GraphQL context (see identity/graphql-context.ts).
declare module '../identity/graphql-context' {
  interface Services {
    users: UsersService;
  }
  interface RequestLoaders {
    /** Owners read outside a page, batched per request. */
    readonly userById: DataLoader<string, User | null>;
  }
}
