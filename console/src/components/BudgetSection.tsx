import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { messageOf } from '../apollo';
import { KeyBudgetPageDocument } from '../generated/graphql';
import { BudgetFacts } from './BudgetFacts';
import { CreditsAdjustForm } from './CreditsAdjustForm';
import { KeyBudgetForm } from './KeyBudgetForm';
import { LimitStatusList } from './LimitStatusList';

/** What the key may spend and what remains (read fresh: it changes with every request), and the forms to change it. */
export function BudgetSection({ id }: { id: string }) {
  const { data, error, loading, refetch } = useQuery(KeyBudgetPageDocument, { variables: { id }, fetchPolicy: 'network-only' });
  // Outside the form, which starts afresh from each saved budget: the message outlives it.
  const [saved, setSaved] = useState<string | null>(null);
  const budget = data?.clientKey;
  if (!budget) {
    return (
      <>
        {loading && <p role="status">Loading the budget…</p>}
        {error && (
          <p role="alert" className="error">
            The budget is unavailable: {messageOf(error)}
          </p>
        )}
      </>
    );
  }
  const active = budget.status === 'ACTIVE';
  return (
    <>
      <div className="toolbar">
        <h3 id="remaining-heading">What remains</h3>
        <button type="button" onClick={() => void refetch()}>
          Refresh budget
        </button>
      </div>
      <LimitStatusList statuses={budget.remaining} />
      <BudgetFacts maxOperationCost={budget.maxOperationCost} credits={budget.credits} />
      {active && (
        <>
          <h3>Change the budget</h3>
          {/* Keyed by the saved values, so that a save or an adjustment starts the form from what Keygate now holds. */}
          <KeyBudgetForm key={JSON.stringify([budget.limits, budget.maxOperationCost, budget.credits])} budget={budget} onSaved={setSaved} />
          <p role="status" className="muted">
            {saved}
          </p>
          {budget.credits && <CreditsAdjustForm id={budget.id} />}
        </>
      )}
    </>
  );
}
