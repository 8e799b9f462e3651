import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { BadUserInputError } from '../errors/app-errors';
import type { Actor } from '../identity/actor';
import type { RoleScopes } from '../identity/role-scopes';
import { allowedCidrsFor, CidrWideningError } from '../ip-allowlist/cidrs-for-actor';
import { checkAllowedCidrs, cidrsNarrowed, cidrsWithin } from '../ip-allowlist/cidr-list';
import { checkCreditsNotLoosened } from '../limits/limit-ceiling';
import { checkCreditsAmount, creditsOf } from '../limits/limit-rules';
import type { CurrentAuthority } from '../users/current-authority';
import { transactionQuery } from '../users/transaction-query';
import { ClientKey } from './client-key.entity';
import { checkDescription, checkExpiry, checkGrantableScopes, checkName, checkRateLimit } from './client-key-rules';
import type { KeyBudgets, UpdateClientKeyData } from './client-keys.types';
import { cappedTerms, checkCanActOn, checkKeyDoesNotExtend } from './key-ceiling';
import { effectiveScopes } from './key-access';
import { checkBudget, updatedBudgetColumns } from './key-budget-terms';
import { assertNotRevoked, auditTarget, type KeyChanges } from './key-changes';
import { lockDescendants } from './key-lineage';

/** Why a minted key is revoked when its parent's new allowedCidrs leave it no address. */
const NO_ADDRESS_LEFT = "Revoked: the key that minted it no longer allows any of this key's allowedCidrs";
const REVOKE_REFUSED = 'These allowedCidrs would revoke a key minted under this one that the caller may not act on; a user can narrow them';

const AUDIT_NAMES: Partial<Record<keyof ClientKey, string>> = {
  namedLimits: 'limits',
  maxOperationCostSetting: 'maxOperationCost',
  creditsRemaining: 'credits',
  creditsRefill: 'creditsRefill',
  creditsRefilledAt: 'creditsRefilledAt',
};

/** Changes a live key's terms and credits; narrowing a key narrows the keys it minted with it. */
export class KeyUpdater {
  constructor(
    private readonly audit: AuditService,
    private readonly roles: RoleScopes,
    private readonly budgets: KeyBudgets,
    private readonly changes: KeyChanges,
  ) {}

  async update(actor: Actor, id: string, data: UpdateClientKeyData): Promise<ClientKey> {
    const updated = await this.updateTerms(actor, id, data);
    if (data.credits !== undefined) await this.budgets.creditsChanged('KEY', updated.id, true);
    return updated;
  }

  private async updateTerms(actor: Actor, id: string, data: UpdateClientKeyData): Promise<ClientKey> {
    const next: Partial<ClientKey> = {};
    if (data.name != null) next.name = checkName(data.name);
    if (data.description !== undefined) next.description = checkDescription(data.description);
    if (data.rateLimitPerMinute != null) next.rateLimitPerMinute = checkRateLimit(data.rateLimitPerMinute);
    if (data.expiresAt !== undefined) next.expiresAt = checkExpiry(data.expiresAt);
    // Validated here; measured against the acting key's ranges inside the transaction.
    const requestedCidrs = data.allowedCidrs === undefined ? undefined : checkAllowedCidrs(data.allowedCidrs ?? []);
    const budget = checkBudget(data);

    return this.changes.run(
      actor,
      id,
      async (em, key, authority, touch) => {
        assertNotRevoked(key, 'updated');
        if (data.scopes != null) next.scopes = checkGrantableScopes(data.scopes, authority, this.roles.catalog);
        if (requestedCidrs !== undefined) {
          next.allowedCidrs = allowedCidrsFor(authority.key?.allowedCidrs, requestedCidrs);
          // As with expiry and limit, a client key may only narrow a key's ranges; a user can widen them.
          if (authority.key && cidrsNarrowed(next.allowedCidrs, key.allowedCidrs ?? [])) {
            throw new CidrWideningError("A client key cannot widen a key's allowedCidrs; a user can");
          }
        }
        // Only users may lengthen a key's life or raise its limit; a key may only narrow them.
        if (authority.key) checkKeyDoesNotExtend(key, next);
        Object.assign(next, updatedBudgetColumns(key, budget, !!authority.key, this.budgets.defaultMaxOperationCost));
        const rangesNarrowed = next.allowedCidrs !== undefined && cidrsNarrowed(key.allowedCidrs ?? [], next.allowedCidrs);
        const changes: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(next) as Array<[keyof ClientKey, unknown]>) {
          const before = key[field];
          if (JSON.stringify(before) === JSON.stringify(value)) continue;
          // Audited under the names clients know (`limits`, `maxOperationCost`, `credits`), not the columns'.
          changes[AUDIT_NAMES[field] ?? field] = { from: before, to: value };
          (key as unknown as Record<string, unknown>)[field] = value;
        }
        if (Object.keys(changes).length === 0) return key;
        const saved = await em.getRepository(ClientKey).save(key);
        await this.audit.record(em, actor, 'client_key.updated', auditTarget(saved), changes);
        if (changes.expiresAt || changes.rateLimitPerMinute || rangesNarrowed) await this.capDescendants(em, actor, saved, authority, touch, rangesNarrowed);
        return saved;
      },
      { lineage: next.expiresAt !== undefined || next.rateLimitPerMinute !== undefined || requestedCidrs !== undefined },
    );
  }

  /**
   * A minted key never outlives its parent, exceeds its limit or is usable from an address its
   * parent is not: narrowing a parent narrows its lineage. When the parent's ranges were narrowed,
   * a descendant keeps only its ranges inside them, and one left with no address is revoked, with
   * the reason in the audit trail: like a cascade, only if the actor may act on that key (else the
   * whole change is refused, FORBIDDEN), since a revocation cannot be undone.
   */
  private async capDescendants(
    em: EntityManager,
    actor: Actor,
    parent: ClientKey,
    authority: CurrentAuthority,
    touch: (key: ClientKey) => void,
    rangesNarrowed: boolean,
  ): Promise<void> {
    const self = { userId: actor.principal.userId, role: authority.role };
    for (const child of await lockDescendants(em, parent.id)) {
      const capped: Partial<Pick<ClientKey, 'expiresAt' | 'rateLimitPerMinute' | 'allowedCidrs'>> = cappedTerms(parent, child);
      const cidrs = rangesNarrowed ? cidrsWithin(child.allowedCidrs ?? [], parent.allowedCidrs ?? []) : undefined;
      if (cidrs === null) {
        if (child.revokedAt) continue;
        // Refused without naming the key's scopes: the actor may not be able to read that key.
        checkCanActOn(authority.scopes, await effectiveScopes(em, child, self, this.roles), () => new CidrWideningError(REVOKE_REFUSED));
        touch(child);
        child.revokedAt = new Date();
        child.revokedReason = NO_ADDRESS_LEFT;
        await em.getRepository(ClientKey).save(child);
        await this.audit.record(em, actor, 'client_key.revoked', auditTarget(child), { reason: NO_ADDRESS_LEFT, cappedBy: parent.id });
        continue;
      }
      if (cidrs && JSON.stringify(cidrs) !== JSON.stringify(child.allowedCidrs ?? [])) capped.allowedCidrs = cidrs;
      if (Object.keys(capped).length === 0) continue;
      const changes = Object.fromEntries(Object.entries(capped).map(([field, to]) => [field, { from: child[field as keyof typeof capped], to }]));
      touch(child);
      Object.assign(child, capped);
      await em.getRepository(ClientKey).save(child);
      await this.audit.record(em, actor, 'client_key.updated', auditTarget(child), { ...changes, cappedBy: parent.id });
    }
  }

  /**
   * Changes a key's credits in PostgreSQL, atomically (SET, INCREMENT, DECREMENT; never below 0),
   * audited; every instance's live balance is then reloaded. A client key may only lower them.
   */
  async adjustCredits(actor: Actor, id: string, operation: 'SET' | 'INCREMENT' | 'DECREMENT', amount: number): Promise<ClientKey> {
    const units = checkCreditsAmount(amount, 'amount');
    // This instance's debits are written first, so the change is measured against what was really spent.
    await this.budgets.flushCredits();
    const saved = await this.changes.run(actor, id, async (em, key, authority) => {
      assertNotRevoked(key, 'given credits');
      const before = creditsOf(key);
      if (!before && operation !== 'SET') throw new BadUserInputError('operation', 'the key has no credits: SET them first');
      const delta = operation === 'SET' ? null : operation === 'INCREMENT' ? units : -units;
      // TypeORM answers an UPDATE ... RETURNING as [rows, affected].
      const [rows]: [Array<{ credits_remaining: string }>, number] = await transactionQuery(
        em,
        `UPDATE client_keys SET credits_remaining = ${delta === null ? '$2::bigint' : 'GREATEST(0, credits_remaining + $2::bigint)'}, updated_at = now()
          WHERE id = $1 RETURNING credits_remaining`,
        [key.id, delta === null ? units : delta],
      );
      const row = rows[0];
      const after = Number(row.credits_remaining);
      if (authority.key) checkCreditsNotLoosened(before, { remaining: after, refill: before?.refill ?? null });
      key.creditsRemaining = row.credits_remaining;
      await this.audit.record(em, actor, 'client_key.updated', auditTarget(key), {
        credits: { operation, amount: units, from: before?.remaining ?? null, to: after },
      });
      return key;
    });
    await this.budgets.creditsChanged('KEY', saved.id, operation === 'SET');
    return saved;
  }
}
