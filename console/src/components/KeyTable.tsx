import { formatDate } from '../format';
import type { KeyRowFragment } from '../generated/graphql';
import { keyHref } from '../route';
import type { Point } from '../usage';
import { Sparkline } from './Sparkline';
import { StatusBadge } from './StatusBadge';

interface Props {
  keys: readonly KeyRowFragment[];
  caption: string;
  showOwner: boolean;
  usageById: Map<string, Point[]>;
  usageState: 'loading' | 'unavailable';
}

/** The key list. On a narrow screen each row becomes a card (styles.css, `.cards`): data-label names each cell there. */
export function KeyTable({ keys, caption, showOwner, usageById, usageState }: Props) {
  return (
    <table className="keys cards">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          {showOwner && <th scope="col">Owner</th>}
          <th scope="col">Prefix</th>
          <th scope="col">Status</th>
          <th scope="col">Scopes</th>
          <th scope="col">Last used</th>
          <th scope="col">Last 24 hours</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const points = usageById.get(key.id);
          return (
            <tr key={key.id}>
              <th scope="row">
                <a href={keyHref(key.id)}>{key.name}</a>
              </th>
              {showOwner && <td data-label="Owner">{key.owner.email}</td>}
              <td data-label="Prefix">
                <code>{key.keyPrefix}</code>
              </td>
              <td data-label="Status">
                <StatusBadge status={key.status} />
              </td>
              <td data-label="Scopes">{key.scopes.join(', ') || 'none'}</td>
              <td data-label="Last used">{formatDate(key.lastUsedAt)}</td>
              <td data-label="Last 24 hours">
                {points ? <Sparkline points={points} /> : <span className="muted">{usageState === 'unavailable' ? 'unavailable' : '…'}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
