import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import {
  type CreditsDraft,
  type FieldProblem,
  fromCreditsDraft,
  fromDraft,
  isAbout,
  type LimitDraft,
  problemOf,
  sameJson,
  toCreditsDraft,
  toDraft,
} from '../budget';
import { UpdateUserBudgetDocument, type UpdateUserInput, type UserBudgetFragment } from '../generated/graphql';
import { CreditsEditor } from './CreditsEditor';
import { LimitsEditor } from './LimitsEditor';

/** Limits and credits shared by all of a user's keys. Sends only what changed (credits sent are what remains). */
export function UserBudgetForm({ budget, onSaved }: { budget: UserBudgetFragment; onSaved: (message: string | null) => void }) {
  const [initialLimits] = useState(() => budget.limits.map(toDraft));
  const [limits, setLimits] = useState<LimitDraft[]>(initialLimits);
  const [initialCredits] = useState(() => toCreditsDraft(budget.credits));
  const [credits, setCredits] = useState<CreditsDraft>(initialCredits);
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  const [update, { loading }] = useMutation(UpdateUserBudgetDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: UpdateUserInput = {};
    if (!sameJson(limits, initialLimits)) input.limits = limits.map(fromDraft);
    if (!sameJson(credits, initialCredits)) input.credits = fromCreditsDraft(credits);
    setProblem(null);
    if (Object.keys(input).length === 0) return onSaved('Nothing changed.');
    try {
      await update({ variables: { id: budget.id, input } });
      onSaved('Budget saved.');
    } catch (e) {
      onSaved(null);
      setProblem(problemOf(e));
    }
  };

  const unplaced = problem && !['limits', 'credits'].some((f) => isAbout(problem, f));
  return (
    <form onSubmit={submit} aria-label="Edit the user’s budget">
      <LimitsEditor idPrefix="user-limit" drafts={limits} onChange={setLimits} problem={problem} />
      <CreditsEditor idPrefix="user-credits" draft={credits} onChange={setCredits} problem={problem} />
      {unplaced && (
        <p role="alert" className="error">
          {problem.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={loading}>
        Save budget
      </button>
    </form>
  );
}
