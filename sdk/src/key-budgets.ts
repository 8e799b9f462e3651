import {
  SdkAdjustClientKeyCreditsDocument,
  SdkClientKeyBudgetDocument,
  type SdkKeyBudgetFragment,
  SdkUpdateClientKeyBudgetDocument,
} from './generated/graphql.js';
import type { KeygateFetch } from './keygate-fetch.js';
import type { KeyBudget, UpdateKeyBudgetRequest } from './types.js';

function toBudget(b: SdkKeyBudgetFragment): KeyBudget {
  return {
    limits: b.limits.map((l) => ({ name: l.name, unit: l.unit, limit: l.limit, period_seconds: l.periodSeconds })),
    max_operation_cost: b.maxOperationCost,
    credits: b.credits && {
      remaining: b.credits.remaining,
      refill: b.credits.refill && { amount: b.credits.refill.amount, interval: b.credits.refill.interval, day_of_month: b.credits.refill.dayOfMonth },
      refilled_at: b.credits.refilledAt,
    },
  };
}

/** A key's budgets (SPEC "Budgets"): named limits, the per-operation cost cap, credits. */
export class KeyBudgets {
  constructor(private readonly fetch: KeygateFetch) {}

  async get(keyId: string): Promise<KeyBudget> {
    return toBudget((await this.fetch.graphql(SdkClientKeyBudgetDocument, { id: keyId })).clientKey);
  }

  async update(keyId: string, request: UpdateKeyBudgetRequest): Promise<KeyBudget> {
    const input = {
      ...(request.limits !== undefined ? { limits: request.limits.map((l) => ({ name: l.name, unit: l.unit, limit: l.limit, periodSeconds: l.period_seconds })) } : {}),
      ...(request.max_operation_cost !== undefined ? { maxOperationCost: request.max_operation_cost } : {}),
      ...(request.credits !== undefined
        ? {
            credits: request.credits && {
              remaining: request.credits.remaining,
              refill: request.credits.refill && { amount: request.credits.refill.amount, interval: request.credits.refill.interval, dayOfMonth: request.credits.refill.day_of_month },
            },
          }
        : {}),
    };
    return toBudget((await this.fetch.graphql(SdkUpdateClientKeyBudgetDocument, { id: keyId, input })).updateClientKey);
  }

  /** Changes the key's credits atomically (audited): SET, INCREMENT or DECREMENT (never below 0). */
  async adjustCredits(keyId: string, operation: 'SET' | 'INCREMENT' | 'DECREMENT', amount: number): Promise<KeyBudget> {
    return toBudget((await this.fetch.graphql(SdkAdjustClientKeyCreditsDocument, { id: keyId, operation, amount })).adjustClientKeyCredits);
  }
}
