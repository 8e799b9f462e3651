import { describeRefill } from '../budget';
import { formatCount, formatDate } from '../format';
import type { KeyBudgetFragment } from '../generated/graphql';

/** The most one operation may cost, and the credits: what remains and how they refill. */
export function BudgetFacts({ maxOperationCost, credits }: { maxOperationCost?: number | null; credits: KeyBudgetFragment['credits'] }) {
  return (
    <dl className="facts">
      {maxOperationCost !== undefined && (
        <>
          <dt>Max cost per operation</dt>
          <dd data-testid="max-operation-cost">{maxOperationCost === null ? 'the server’s default' : formatCount(maxOperationCost)}</dd>
        </>
      )}
      <dt>Credits remaining</dt>
      <dd data-testid="credits-remaining">{credits ? formatCount(credits.remaining) : 'unlimited'}</dd>
      {credits && (
        <>
          <dt>Refill</dt>
          <dd>{describeRefill(credits.refill)}</dd>
          <dt>Last refilled</dt>
          <dd>{formatDate(credits.refilledAt)}</dd>
        </>
      )}
    </dl>
  );
}
