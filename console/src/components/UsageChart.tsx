import { useId, useRef } from 'react';
import { formatCount } from '../format';
import { type Point, totals } from '../usage';
import { useWidth } from '../use-width';

const WIDE = 720;
const HEIGHT = 260;
// Room for one time label: the chart shows as many as fit, so a phone's are as readable as a desktop's.
const LABEL_WIDTH = 96;
const PAD = { left: 52, right: 16, top: 12, bottom: 36 };

const SERIES = [
  { key: 'requests', label: 'Requests', className: 'series-requests' },
  { key: 'errors', label: 'Errors', className: 'series-errors' },
  { key: 'rateLimited', label: '429s (rate limited)', className: 'series-limited' },
] as const;

/** Gridlines at round whole numbers (1, 2 or 5 × 10^n apart), at most five above zero. */
function gridFor(value: number): { max: number; step: number } {
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((f) => f * magnitude).find((candidate) => Math.max(value, 1) / candidate <= 5);
    if (found) {
      step = found;
      break;
    }
  }
  return { max: Math.max(step, Math.ceil(value / step) * step), step };
}

function tickLabel(start: number, daily: boolean): string {
  const date = new Date(start);
  return daily
    ? date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : date.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

/**
 * Requests, errors and 429s over time, drawn as inline SVG (no chart library, nothing from a CDN).
 * Each line has its own dash pattern besides its colour, and the same numbers are in a table below.
 * It is drawn at the width it is shown (no scaling), so its text keeps its size on a narrow screen.
 */
export function UsageChart({ points, daily, rangeLabel }: { points: Point[]; daily: boolean; rangeLabel: string }) {
  const figure = useRef<HTMLElement>(null);
  const WIDTH = Math.max(280, useWidth(figure, WIDE));
  const titleId = useId();
  const descId = useId();
  const sum = totals(points);
  const { max, step } = gridFor(Math.max(...points.map((p) => Math.max(p.requests, p.errors, p.rateLimited)), 0));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const gridValues = Array.from({ length: max / step + 1 }, (_, i) => i * step);
  const tickEvery = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor(plotW / LABEL_WIDTH))));

  return (
    <figure className="usage-chart" ref={figure}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`} data-testid="usage-chart">
        <title id={titleId}>Usage over the last {rangeLabel}</title>
        <desc id={descId}>
          {formatCount(sum.requests)} requests, {formatCount(sum.errors)} errors and {formatCount(sum.rateLimited)} rate-limited (429) responses; actual cost{' '}
          {formatCount(sum.cost)}.
        </desc>
        {gridValues.map((v) => (
          <g key={v} className="grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
              {formatCount(v)}
            </text>
          </g>
        ))}
        {points.map((p, i) =>
          i % tickEvery === 0 ? (
            <text key={p.start} className="tick" x={x(i)} y={HEIGHT - PAD.bottom + 18} textAnchor="middle">
              {tickLabel(p.start, daily)}
            </text>
          ) : null,
        )}
        {SERIES.map((s) => (
          <polyline
            key={s.key}
            className={`series ${s.className}`}
            fill="none"
            points={points.map((p, i) => `${x(i).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {SERIES.map((s) => (
            <li key={s.key}>
              <svg width="28" height="10" aria-hidden="true">
                <line x1="0" x2="28" y1="5" y2="5" className={`series ${s.className}`} />
              </svg>
              {s.label}: <strong>{formatCount(sum[s.key])}</strong>
            </li>
          ))}
          {/* Cost has its own scale (one request can cost thousands), so it is a total and a column, not a line. */}
          <li>
            Cost: <strong data-testid="usage-cost">{formatCount(sum.cost)}</strong>
          </li>
        </ul>
      </figcaption>
      <details>
        <summary>Show the numbers as a table</summary>
        <table>
          <caption className="visually-hidden">Usage per {daily ? 'day' : 'hour'}</caption>
          <thead>
            <tr>
              <th scope="col">{daily ? 'Day' : 'Hour'} starting</th>
              <th scope="col">Requests</th>
              <th scope="col">Errors</th>
              <th scope="col">429s</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {points
              .filter((p) => p.requests + p.errors + p.rateLimited + p.cost > 0)
              .map((p) => (
                <tr key={p.start}>
                  <td>{new Date(p.start).toLocaleString()}</td>
                  <td>{formatCount(p.requests)}</td>
                  <td>{formatCount(p.errors)}</td>
                  <td>{formatCount(p.rateLimited)}</td>
                  <td>{formatCount(p.cost)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
