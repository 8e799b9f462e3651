import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Page, PageRequest } from '../common/pagination';
import type { Actor } from '../identity/actor';
import type { Principal } from '../identity/principal';
import type { RoleScopes } from '../identity/role-scopes';
import type { ClientKey } from './client-key.entity';
import type {
  ClientKeyFilter,
  CreateClientKeyData,
  IssuedKey,
  KeyBudgets,
  KeyChange,
  KeyChangeListener,
  KeyChangePublisher,
  UpdateClientKeyData,
} from './client-keys.types';
import { KeyChanges } from './key-changes';
import { KeyIssuer } from './key-issuer';
import { KeyQueries } from './key-queries';
import { KeyRemoval } from './key-removal';
import { KeyUpdater } from './key-updater';

export type { ClientKeyFilter, CreateClientKeyData, IssuedKey, KeyChange, KeyChangeListener, KeyChangePublisher, UpdateClientKeyData };

/**
 * The client-keys feature as the resolvers and the wiring see it: one object, while the rules live
 * in parts small enough to read whole. Every part that changes a key goes through the same
 * KeyChanges, so they share its listeners and its lock order.
 */
export class ClientKeysService {
  private readonly changes: KeyChanges;
  private readonly queries: KeyQueries;
  private readonly issuer: KeyIssuer;
  private readonly updater: KeyUpdater;
  private readonly removal: KeyRemoval;

  constructor(
    db: DataSource,
    audit: AuditService,
    /** This app's roles and scope catalog (KEYGATE_CONFIG may extend them). */
    roles: RoleScopes,
    publish: KeyChangePublisher = async () => undefined,
    readonly budgets: KeyBudgets = {
      defaultMaxOperationCost: 5000,
      creditsChanged: async () => undefined,
      remaining: async () => ({ estimated: 0, nodeCount: 0, limits: [], credits: null }),
      flushCredits: async () => undefined,
      unwritten: () => 0,
    },
  ) {
    this.changes = new KeyChanges(db, roles, publish);
    this.queries = new KeyQueries(db);
    this.issuer = new KeyIssuer(db, audit, roles, this.changes);
    this.updater = new KeyUpdater(audit, roles, budgets, this.changes);
    this.removal = new KeyRemoval(audit, roles, this.changes);
  }

  onChange(listener: KeyChangeListener): void {
    this.changes.onChange(listener);
  }

  /** With `withOwners`, each key's `owner` is read in the same query: one round trip for a page with owners. */
  list(viewer: Principal, filter: ClientKeyFilter, page: PageRequest, options: { withOwners?: boolean } = {}): Promise<Page<ClientKey>> {
    return this.queries.list(viewer, filter, page, options);
  }

  get(viewer: Principal, id: string): Promise<ClientKey> {
    return this.queries.get(viewer, id);
  }

  create(actor: Actor, data: CreateClientKeyData): Promise<IssuedKey> {
    return this.issuer.create(actor, data);
  }

  /** Issues a new secret for the same key; the old one works on for the grace period (see KeyIssuer.rotate). */
  rotate(actor: Actor, id: string, gracePeriodSeconds: number): Promise<IssuedKey> {
    return this.issuer.rotate(actor, id, gracePeriodSeconds);
  }

  update(actor: Actor, id: string, data: UpdateClientKeyData): Promise<ClientKey> {
    return this.updater.update(actor, id, data);
  }

  adjustCredits(actor: Actor, id: string, operation: 'SET' | 'INCREMENT' | 'DECREMENT', amount: number): Promise<ClientKey> {
    return this.updater.adjustCredits(actor, id, operation, amount);
  }

  /** With `cascade`, every key it minted is revoked too, all or nothing (see KeyRemoval.revoke). */
  revoke(actor: Actor, id: string, reason?: string | null, cascade = false): Promise<ClientKey> {
    return this.removal.revoke(actor, id, reason, cascade);
  }

  delete(actor: Actor, id: string): Promise<ClientKey> {
    return this.removal.delete(actor, id);
  }
}
