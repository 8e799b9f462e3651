import type { DataSource, EntityManager } from 'typeorm';
import { checkUuid } from '../common/validation';
import { BadUserInputError } from '../errors/app-errors';
import type { Actor } from '../identity/actor';
import type { RoleScopes } from '../identity/role-scopes';
import { type CurrentAuthority, currentAuthority } from '../users/current-authority';
import { transactionQuery } from '../users/transaction-query';
import type { ClientKey } from './client-key.entity';
import type { KeyChange, KeyChangeListener, KeyChangePublisher } from './client-keys.types';
import { checkCanActOn } from './key-ceiling';
import { effectiveScopes, findKey, visibleOrNotFound } from './key-access';

/** Taken exclusively by changes that walk or rewire a lineage, shared by changes a key makes. */
const LINEAGE_LOCK = 'keygate:key-lineage';

function hashesOf(key: ClientKey): string[] {
  return (key.previousKeyHash ? [key.keyHash, key.previousKeyHash] : [key.keyHash]).map((h) => h.toString('hex'));
}

export function assertNotRevoked(key: ClientKey, verb: string): void {
  if (key.revokedAt) throw new BadUserInputError('id', `a revoked key cannot be ${verb}`);
}

export function auditTarget(key: ClientKey) {
  return { clientKeyId: key.id, userId: key.userId };
}

/**
 * The one way an existing key is changed. Issuing, updating and removing share it so that every
 * change takes the same locks in the same order and every instance hears of every secret it touched.
 */
export class KeyChanges {
  private readonly listeners: KeyChangeListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly roles: RoleScopes,
    private readonly publish: KeyChangePublisher,
  ) {}

  onChange(listener: KeyChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Locks the visible key, checks the actor may act on it (every scope it has), applies `fn` in
   * one transaction, then tells listeners which secrets it concerned. `fn` may `touch` more keys.
   * `lineage`: the change walks or rewires a lineage (cascade, capping, deletion's reparenting).
   */
  async run<T>(
    actor: Actor,
    id: string,
    fn: (em: EntityManager, key: ClientKey, authority: CurrentAuthority, touch: (key: ClientKey) => void) => Promise<T>,
    options: { lineage?: boolean } = {},
  ): Promise<T> {
    const touched: KeyChange[] = [];
    const touch = (key: ClientKey) => touched.push({ id: key.id, hashes: hashesOf(key) });
    const { principal } = actor;
    const result = await this.db.transaction(async (em) => {
      // Lineage walks lock many rows, and a key acting on a key locks two (itself, the target):
      // walks take turns, and exclude keys' changes, so no two of them lock rows in crossing orders.
      if (options.lineage) await transactionQuery(em, 'SELECT pg_advisory_xact_lock(hashtext($1))', [LINEAGE_LOCK]);
      else if (principal.kind === 'CLIENT_KEY') await transactionQuery(em, 'SELECT pg_advisory_xact_lock_shared(hashtext($1))', [LINEAGE_LOCK]);
      // Two keys' changes lock their rows in id order; the acting key's FOR SHARE re-checks it is still active.
      const actingKeyFirst = principal.kind === 'CLIENT_KEY' && principal.id < checkUuid(id);
      let authority = actingKeyFirst ? await currentAuthority(em, principal, this.roles, { lockKey: true }) : undefined;
      const locked = await findKey(em, id, true);
      authority ??= await currentAuthority(em, principal, this.roles, { lockKey: true });
      const self = { userId: principal.userId, role: authority.role };
      const key = visibleOrNotFound(locked, self);
      checkCanActOn(authority.scopes, await effectiveScopes(em, key, self, this.roles));
      touch(key);
      const outcome = await fn(em, key, authority, touch);
      for (const change of touched) await this.publish(em, change);
      return outcome;
    });
    for (const change of touched) for (const listener of this.listeners) listener(change);
    return result;
  }
}
