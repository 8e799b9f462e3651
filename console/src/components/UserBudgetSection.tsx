import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { messageOf } from '../apollo';
import { describeLimit } from '../budget';
import { UserBudgetPageDocument } from '../generated/graphql';
import { BudgetFacts } from './BudgetFacts';
import { UserBudgetForm } from './UserBudgetForm';

/** A user's limits and credits: every one of their keys pays into them too. */
export function UserBudgetSection({ id }: { id: string }) {
  const { data, error, loading } = useQuery(UserBudgetPageDocument, { variables: { id }, fetchPolicy: 'network-only' });
  // Outside the form, which starts afresh from each saved budget: the message outlives it.
  const [saved, setSaved] = useState<string | null>(null);
  const budget = data?.user;
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
  return (
    <>
      <p className="muted">Shared by all of this user’s keys: a request by any of them is charged here too.</p>
      {budget.limits.length === 0 ? (
        <p>No limits.</p>
      ) : (
        <ul className="limit-list" aria-label="The user’s limits">
          {budget.limits.map((l) => (
            <li key={l.name}>
              <code>{l.name}</code>: {describeLimit(l)}
            </li>
          ))}
        </ul>
      )}
      <BudgetFacts credits={budget.credits} />
      <UserBudgetForm key={JSON.stringify([budget.limits, budget.credits])} budget={budget} onSaved={setSaved} />
      <p role="status" className="muted">
        {saved}
      </p>
    </>
  );
}
