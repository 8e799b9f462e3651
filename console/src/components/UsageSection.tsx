import { useQuery } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { messageOf } from '../apollo';
import { formatCount } from '../format';
import { KeyUsageDocument } from '../generated/graphql';
import { fillSeries, RANGES, windowOf } from '../usage';
import { UsageChart } from './UsageChart';

/** The key's usage over 24 h, 7 d or 30 d, and which fields it called. */
export function UsageSection({ id }: { id: string }) {
  const [rangeId, setRangeId] = useState<(typeof RANGES)[number]['id']>('24h');
  const [asOf, setAsOf] = useState(() => Date.now());
  const range = RANGES.find((r) => r.id === rangeId)!;
  const window = useMemo(() => windowOf(range, asOf), [range, asOf]);
  const { data, error, loading } = useQuery(KeyUsageDocument, {
    variables: { id, since: window.since, until: window.until, interval: range.interval },
    fetchPolicy: 'network-only',
  });
  const usage = data?.clientKey;
  const points = usage ? fillSeries(usage.usage, window.since, window.until, range.interval) : null;

  return (
    <>
      <div className="toolbar">
        <fieldset className="segmented">
          <legend>Period</legend>
          {RANGES.map((r) => (
            <label key={r.id} className="check">
              <input type="radio" name="usage-range" value={r.id} checked={r.id === rangeId} onChange={() => setRangeId(r.id)} /> {r.label}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => setAsOf(Date.now())}>
          Refresh usage
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          Usage is unavailable: {messageOf(error)}
        </p>
      )}
      {!points && loading && <p role="status">Loading usage…</p>}
      {points && <UsageChart points={points} daily={range.interval === 'DAY'} rangeLabel={range.label} />}
      {usage && (
        <>
          <h3 id="fields-heading">Usage by field</h3>
          {usage.usageByField.length === 0 ? (
            <p className="muted">No fields called in the last {range.label}.</p>
          ) : (
            <div className="table-wrap">
              <table aria-labelledby="fields-heading">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Requests</th>
                    <th scope="col">Errors</th>
                    <th scope="col">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {[...usage.usageByField]
                    .sort((a, b) => b.requests - a.requests)
                    .map((f) => (
                      <tr key={f.coordinate}>
                        <th scope="row">
                          <code>{f.coordinate}</code>
                        </th>
                        <td>{formatCount(f.requests)}</td>
                        <td>{formatCount(f.errors)}</td>
                        <td>{formatCount(f.cost)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
