import { useQuery } from '@apollo/client/react';
import { useId } from 'react';
import { MeDocument, ScopeCatalogDocument } from '../generated/graphql';

interface Props {
  legend: string;
  selected: readonly string[];
  onChange: (scopes: string[]) => void;
}

/**
 * Checkboxes for the scopes the caller holds (Keygate refuses any other). A scope the key has but the caller
 * does not is shown ticked and locked: the caller can neither add nor take it away.
 */
export function ScopePicker({ legend, selected, onChange }: Props) {
  const prefix = useId();
  const me = useQuery(MeDocument);
  const catalog = useQuery(ScopeCatalogDocument);
  const held = me.data?.viewer.scopes ?? [];
  const described = new Map(catalog.data?.scopes.map((scope) => [scope.name, scope.description]));
  const locked = selected.filter((scope) => !held.includes(scope));
  const toggle = (scope: string, on: boolean) => onChange(on ? [...selected, scope] : selected.filter((s) => s !== scope));

  return (
    <fieldset className="scopes">
      <legend>{legend}</legend>
      {[...held, ...locked].map((scope, i) => {
        const helpId = `${prefix}-scope-${i}`;
        const isLocked = !held.includes(scope);
        return (
          <div key={scope} className="scope">
            <label className="check">
              <input
                type="checkbox"
                checked={selected.includes(scope)}
                disabled={isLocked}
                onChange={(e) => toggle(scope, e.target.checked)}
                aria-describedby={described.has(scope) || isLocked ? helpId : undefined}
              />{' '}
              {scope}
            </label>
            {(described.has(scope) || isLocked) && (
              <span id={helpId} className="muted scope-help">
                {isLocked ? 'You do not hold this scope, so you cannot change it.' : described.get(scope)}
              </span>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
