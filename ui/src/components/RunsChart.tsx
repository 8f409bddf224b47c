/** Runs over time, stacked by state family, with a hover tooltip. Plain SVG. */
import { useState, type CSSProperties } from "react";
import { niceMax, type Bucket } from "../lib/charts";
import { stateColorVar, type Family } from "../lib/states";
import { useWidth } from "../lib/useSize";

const STACK: Family[] = ["Success", "Finished", "Failed", "Cancelled", "Cancelling", "Running", "Submitted", "Paused", "Scheduled", "Pending"];
const HEIGHT = 190;
const PAD = { top: 10, right: 8, bottom: 24, left: 34 };

export function RunsChart({ buckets, bucketMs }: { buckets: Bucket[]; bucketMs: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.total)));
  const innerW = Math.max(10, width - PAD.left - PAD.right);
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, buckets.length);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const hourFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const labelEvery = Math.ceil(buckets.length / Math.max(1, Math.floor(innerW / 70)));
  const present = STACK.filter((f) => buckets.some((b) => b.counts[f]));
  const hovered = hover ? buckets[hover.index] : null;
  return (
    <div ref={ref} style={{ position: "relative" }} data-testid="runs-chart">
      <svg className="chart" width={width} height={HEIGHT} role="img" aria-label="Runs over time by state">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="grid-line" x1={PAD.left} x2={width - PAD.right} y1={y(max * f)} y2={y(max * f)} />
            {Number.isInteger(max * f) && <text x={PAD.left - 8} y={y(max * f) + 4} textAnchor="end">{max * f}</text>}
          </g>
        ))}
        {buckets.map((bucket, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          let acc = 0;
          return (
            <g key={bucket.start} onMouseMove={(e) => setHover({ index: i, x: e.clientX, y: e.clientY })} onMouseLeave={() => setHover(null)}>
              <rect x={PAD.left + i * slot} y={PAD.top} width={slot} height={innerH} fill="transparent" />
              {STACK.map((family) => {
                const count = bucket.counts[family] ?? 0;
                if (!count) return null;
                const top = y(acc + count);
                const h = y(acc) - top;
                acc += count;
                return <rect key={family} x={x} y={top} width={barW} height={Math.max(1, h - 1)} rx={2} fill={stateColorVar(family)} />;
              })}
              {i % labelEvery === 0 && (
                <text x={PAD.left + i * slot + slot / 2} y={HEIGHT - 6} textAnchor="middle">{hourFormat.format(bucket.start)}</text>
              )}
            </g>
          );
        })}
      </svg>
      {present.length > 0 && (
        <div className="legend" style={{ marginTop: 6 }}>
          {present.map((f) => (
            <span key={f}><span className="dot" style={{ "--c": stateColorVar(f) } as CSSProperties} />{f}</span>
          ))}
        </div>
      )}
      {hovered && hover && (
        <div className="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          <div style={{ fontWeight: 600, marginBottom: 4 }}>
            {hourFormat.format(hovered.start)}–{hourFormat.format(hovered.start + bucketMs)}
          </div>
          {hovered.total === 0 && <div className="muted">No runs</div>}
          {STACK.filter((f) => hovered.counts[f]).map((f) => (
            <div key={f} className="row" style={{ justifyContent: "space-between" }}>
              <span className="row" style={{ gap: 6 }}><span className="dot" style={{ "--c": stateColorVar(f) } as CSSProperties} />{f}</span>
              <strong>{hovered.counts[f]}</strong>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
