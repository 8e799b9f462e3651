import { formatCount } from '../format';
import type { Point } from '../usage';

const WIDTH = 120;
const HEIGHT = 28;

/** 24 hourly bars: the shape of a key's last day, with the total as its accessible name. */
export function Sparkline({ points }: { points: Point[] }) {
  const total = points.reduce((sum, p) => sum + p.requests, 0);
  const max = Math.max(1, ...points.map((p) => p.requests));
  const barWidth = WIDTH / Math.max(1, points.length);
  const label = `${formatCount(total)} requests in the last 24 hours`;
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="sparkline-base" />
      {points.map((p, i) => {
        const h = p.requests === 0 ? 0 : Math.max(1.5, (p.requests / max) * (HEIGHT - 2));
        return (
          <rect
            key={p.start}
            x={i * barWidth + 0.5}
            y={HEIGHT - h}
            width={Math.max(1, barWidth - 1)}
            height={h}
            className={p.errors + p.rateLimited > 0 ? 'bar bar-trouble' : 'bar'}
          />
        );
      })}
    </svg>
  );
}
