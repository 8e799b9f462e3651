import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import {
  type CreditsDraft,
  DEFAULT_LIMIT,
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
import { KeyAuditDocument, type KeyBudgetFragment, UpdateKeyBudgetDocument, type UpdateClientKeyInput } from '../generated/graphql';
import { CreditsEditor } from './CreditsEditor';
import { FieldError } from './FieldError';
import { LimitsEditor } from './LimitsEditor';

/**
 * A key's named limits, maximum operation cost and credits. Sends only what changed: setting credits sets
 * what remains, so an untouched credits part must not reset the spending since the page loaded.
 */
export function KeyBudgetForm({ budget, onSaved }: { budget: KeyBudgetFragment; onSaved: (message: string | null) => void }) {
  const named = budget.limits.filter((l) => l.name !== DEFAULT_LIMIT);
  const [limits, setLimits] = useState<LimitDraft[]>(() => named.map(toDraft));
  const [maxCost, setMaxCost] = useState(budget.maxOperationCost == null ? '' : String(budget.maxOperationCost));
  const [credits, setCredits] = useState<CreditsDraft>(() => toCreditsDraft(budget.credits));
  // What the form started from: credits are compared with it, not with later reads, which spending changes.
  const [initialCredits] = useState(credits);
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  const [update, { loading }] = useMutation(UpdateKeyBudgetDocument, { refetchQueries: [KeyAuditDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: UpdateClientKeyInput = {};
    const limitInputs = limits.map(fromDraft);
    if (
      !sameJson(
        limitInputs,
        named.map((l) => ({ name: l.name, unit: l.unit, limit: l.limit, periodSeconds: l.periodSeconds })),
      )
    )
      input.limits = limitInputs;
    const cost = maxCost.trim() === '' ? null : Number(maxCost);
    if (cost !== null && cost !== budget.maxOperationCost) input.maxOperationCost = Number.isFinite(cost) ? cost : -1;
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

  const maxCostInvalid = isAbout(problem, 'maxOperationCost');
  const unplaced = problem && !['limits', 'maxOperationCost', 'credits'].some((f) => isAbout(problem, f));
  return (
    <form onSubmit={submit} aria-label="Edit the budget">
      <p className="muted">
        The <code>default</code> limit is the rate limit per minute (in Edit).
      </p>
      <LimitsEditor idPrefix="key-limit" drafts={limits} onChange={setLimits} problem={problem} />
      <label htmlFor="key-max-cost">Max cost per operation</label>
      <input
        id="key-max-cost"
        type="number"
        inputMode="numeric"
        value={maxCost}
        onChange={(e) => setMaxCost(e.target.value)}
        aria-invalid={maxCostInvalid || undefined}
        aria-describedby={maxCostInvalid ? 'key-max-cost-error' : undefined}
      />
      <FieldError id="key-max-cost-error" problem={problem} field="maxOperationCost" />
      <CreditsEditor idPrefix="key-credits" draft={credits} onChange={setCredits} problem={problem} />
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
