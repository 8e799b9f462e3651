import { type FieldProblem, isAbout, type LimitDraft, UNITS } from '../budget';
import type { LimitUnit } from '../generated/graphql';
import { FieldError } from './FieldError';

const BLANK: LimitDraft = { name: '', unit: 'COST', limit: '', periodSeconds: '60' };

/**
 * Named limits as rows to add, change and remove. Errors come back addressed as `limits[i].field`, and i is
 * the row's place in this list (the list is sent as it is shown).
 */
export function LimitsEditor({
  idPrefix,
  drafts,
  onChange,
  problem,
}: {
  idPrefix: string;
  drafts: LimitDraft[];
  onChange: (drafts: LimitDraft[]) => void;
  problem: FieldProblem | null;
}) {
  const set = (i: number, change: Partial<LimitDraft>) => onChange(drafts.map((d, j) => (j === i ? { ...d, ...change } : d)));
  const control = (i: number, field: keyof LimitDraft) => {
    const path = `limits[${i}].${field}`;
    const id = `${idPrefix}-${i}-${field}`;
    const invalid = isAbout(problem, path);
    return { id, path, errorId: `${id}-error`, aria: { 'aria-invalid': invalid || undefined, 'aria-describedby': invalid ? `${id}-error` : undefined } };
  };

  return (
    <fieldset aria-describedby={problem?.field === 'limits' ? `${idPrefix}-error` : undefined}>
      <legend>Named limits</legend>
      {drafts.length === 0 && <p className="muted">No named limits.</p>}
      {drafts.map((d, i) => {
        const name = control(i, 'name');
        const unit = control(i, 'unit');
        const limit = control(i, 'limit');
        const period = control(i, 'periodSeconds');
        return (
          <div key={i} className="limit-row" role="group" aria-label={`Limit ${i + 1}`}>
            <div>
              <label htmlFor={name.id}>Limit name</label>
              <input id={name.id} required maxLength={32} value={d.name} onChange={(e) => set(i, { name: e.target.value })} spellCheck={false} {...name.aria} />
              <FieldError id={name.errorId} problem={problem} field={name.path} />
            </div>
            <div>
              <label htmlFor={unit.id}>Unit</label>
              <select id={unit.id} value={d.unit} onChange={(e) => set(i, { unit: e.target.value as LimitUnit })} {...unit.aria}>
                {UNITS.map((u) => (
                  <option key={u.value} value={u.value}>
                    {u.label}
                  </option>
                ))}
              </select>
              <FieldError id={unit.errorId} problem={problem} field={unit.path} />
            </div>
            <div>
              <label htmlFor={limit.id}>Units per period</label>
              <input
                id={limit.id}
                type="number"
                inputMode="numeric"
                required
                value={d.limit}
                onChange={(e) => set(i, { limit: e.target.value })}
                {...limit.aria}
              />
              <FieldError id={limit.errorId} problem={problem} field={limit.path} />
            </div>
            <div>
              <label htmlFor={period.id}>Period (seconds)</label>
              <input
                id={period.id}
                type="number"
                inputMode="numeric"
                required
                value={d.periodSeconds}
                onChange={(e) => set(i, { periodSeconds: e.target.value })}
                {...period.aria}
              />
              <FieldError id={period.errorId} problem={problem} field={period.path} />
            </div>
            <button type="button" onClick={() => onChange(drafts.filter((_, j) => j !== i))} aria-label={`Remove limit ${d.name || i + 1}`}>
              Remove
            </button>
          </div>
        );
      })}
      {problem?.field === 'limits' && (
        <p id={`${idPrefix}-error`} role="alert" className="error">
          {problem.message}
        </p>
      )}
      <button type="button" onClick={() => onChange([...drafts, { ...BLANK }])}>
        Add a limit
      </button>
    </fieldset>
  );
}
