import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { type FieldProblem, isAbout, problemOf } from '../budget';
import { AdjustKeyCreditsDocument, type CreditsOperation, KeyAuditDocument } from '../generated/graphql';
import { FieldError } from './FieldError';

const OPERATIONS: { value: CreditsOperation; label: string }[] = [
  { value: 'INCREMENT', label: 'Add' },
  { value: 'DECREMENT', label: 'Take away' },
  { value: 'SET', label: 'Set to' },
];

/** One atomic change to what remains (Keygate applies it to the current amount, not to what this page shows). */
export function CreditsAdjustForm({ id }: { id: string }) {
  const [operation, setOperation] = useState<CreditsOperation>('INCREMENT');
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [adjust, { loading }] = useMutation(AdjustKeyCreditsDocument, { refetchQueries: [KeyAuditDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    try {
      const value = Number(amount);
      await adjust({ variables: { id, operation, amount: amount.trim() !== '' && Number.isFinite(value) ? value : -1 } });
      setDone('Credits adjusted.');
      setAmount('');
    } catch (e) {
      setProblem(problemOf(e));
    }
  };

  const amountInvalid = isAbout(problem, 'amount');
  return (
    <form onSubmit={submit} aria-label="Adjust credits">
      <fieldset className="segmented">
        <legend>Adjust credits</legend>
        {OPERATIONS.map((o) => (
          <label key={o.value} className="check">
            <input type="radio" name="credits-operation" value={o.value} checked={operation === o.value} onChange={() => setOperation(o.value)} /> {o.label}
          </label>
        ))}
      </fieldset>
      <label htmlFor="adjust-amount">Amount</label>
      <input
        id="adjust-amount"
        type="number"
        inputMode="numeric"
        required
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        aria-invalid={amountInvalid || undefined}
        aria-describedby={amountInvalid ? 'adjust-amount-error' : undefined}
      />
      <FieldError id="adjust-amount-error" problem={problem} field="amount" />
      {problem && !amountInvalid && (
        <p role="alert" className="error">
          {problem.message}
        </p>
      )}
      <p role="status" className="muted">
        {done}
      </p>
      <button type="submit" disabled={loading}>
        Adjust credits
      </button>
    </form>
  );
}
