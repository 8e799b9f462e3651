import { type CreditsDraft, type FieldProblem, isAbout } from '../budget';
import { FieldError } from './FieldError';

/** Credits on or off, what remains, and the refill (daily, or monthly on a day). Errors arrive as `credits.…`. */
export function CreditsEditor({
  idPrefix,
  draft,
  onChange,
  problem,
}: {
  idPrefix: string;
  draft: CreditsDraft;
  onChange: (draft: CreditsDraft) => void;
  problem: FieldProblem | null;
}) {
  const set = (change: Partial<CreditsDraft>) => onChange({ ...draft, ...change });
  const aria = (field: string) =>
    isAbout(problem, field) ? { 'aria-invalid': true, 'aria-describedby': `${idPrefix}-${field.replace(/\W/g, '-')}-error` } : {};
  const error = (field: string) => <FieldError id={`${idPrefix}-${field.replace(/\W/g, '-')}-error`} problem={problem} field={field} />;
  const exact = (field: string) => (problem?.field === field ? problem : null);

  return (
    <fieldset className="credits-fields">
      <legend>Credits</legend>
      <label className="check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Limit credits (unchecked: unlimited)
      </label>
      {draft.enabled && (
        <>
          <label htmlFor={`${idPrefix}-remaining`}>Credits remaining</label>
          <input
            id={`${idPrefix}-remaining`}
            type="number"
            inputMode="numeric"
            required
            value={draft.remaining}
            onChange={(e) => set({ remaining: e.target.value })}
            {...aria('credits.remaining')}
          />
          {error('credits.remaining')}
          <label htmlFor={`${idPrefix}-refill`}>Refill</label>
          <select
            id={`${idPrefix}-refill`}
            value={draft.refill}
            onChange={(e) => set({ refill: e.target.value as CreditsDraft['refill'] })}
            {...aria('credits.refill.interval')}
          >
            <option value="NONE">Never</option>
            <option value="DAILY">Daily (00:00 UTC)</option>
            <option value="MONTHLY">Monthly</option>
          </select>
          {error('credits.refill.interval')}
          {draft.refill !== 'NONE' && (
            <>
              <label htmlFor={`${idPrefix}-amount`}>Refill to (credits)</label>
              <input
                id={`${idPrefix}-amount`}
                type="number"
                inputMode="numeric"
                required
                value={draft.amount}
                onChange={(e) => set({ amount: e.target.value })}
                {...aria('credits.refill.amount')}
              />
              {error('credits.refill.amount')}
            </>
          )}
          {draft.refill === 'MONTHLY' && (
            <>
              <label htmlFor={`${idPrefix}-day`}>Day of the month</label>
              <input
                id={`${idPrefix}-day`}
                type="number"
                inputMode="numeric"
                required
                value={draft.dayOfMonth}
                onChange={(e) => set({ dayOfMonth: e.target.value })}
                {...aria('credits.refill.dayOfMonth')}
              />
              {error('credits.refill.dayOfMonth')}
            </>
          )}
        </>
      )}
      {/* A refusal of the credits as a whole (a key may not add to its own). */}
      <FieldError id={`${idPrefix}-credits-error`} problem={exact('credits')} field="credits" />
    </fieldset>
  );
}
