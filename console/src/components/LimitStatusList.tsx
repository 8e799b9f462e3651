import { describeLimit, formatWait, WHOSE } from '../budget';
import { formatCount } from '../format';
import type { KeyBudgetFragment } from '../generated/graphql';

type Status = KeyBudgetFragment['remaining'][number];

function resetNote(status: Status): string {
  if (status.remaining >= status.limit) return 'nothing used';
  return `resets in ${formatWait(status.resetSeconds)}`;
}

/** Every limit the key's requests pay into, with what remains now: its own, its parents' and its owner's. */
export function LimitStatusList({ statuses }: { statuses: readonly Status[] }) {
  return (
    <ul className="limit-list" aria-label="What remains of each limit">
      {statuses.map((s) => (
        <li key={s.name} className="limit-status" data-limit={s.name}>
          <div className="limit-head">
            <strong>
              <code>{s.name}</code>
            </strong>{' '}
            <span className="muted">
              {WHOSE[s.limitOf]} · {describeLimit(s)}
            </span>
          </div>
          <meter min={0} max={s.limit} value={s.remaining} low={s.limit * 0.2} high={s.limit * 0.5} optimum={s.limit} aria-label={`${s.name} remaining`} />
          <p className="limit-left">
            {formatCount(s.remaining)} of {formatCount(s.limit)} left, {resetNote(s)}
          </p>
        </li>
      ))}
    </ul>
  );
}
