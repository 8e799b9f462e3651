import DataLoader from 'dataloader';
import { type DataSource, In } from 'typeorm';
import { User } from './user.entity';

/** Per-request batching and caching of owners read outside a page (pages join them). Created lazily. */
export class Loaders {
  private users?: DataLoader<string, User | null>;

  constructor(private readonly db: DataSource) {}

  get userById(): DataLoader<string, User | null> {
    this.users ??= new DataLoader(async (ids) => {
      const rows = await this.db.getRepository(User).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    return this.users;
  }
}
