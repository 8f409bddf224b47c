/** A flow's recent runs as bars: height is duration, colour is state, oldest on the left. */
import { useState } from "react";
import type { FlowRun } from "../api/types";
import { niceMax } from "../lib/charts";
import { navigate } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDateTime, formatDuration, runDuration } from "../lib/time";
import { useWidth } from "../lib/useSize";
import { flowRunUrl } from "../routes";

const HEIGHT = 150;
const PAD = { top: 8, right: 8, bottom: 8, left: 46 };

export function RunHistory({ runs, now }: { runs: FlowRun[]; now: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<{ run: FlowRun; x: number; y: number } | null>(null);
  const ordered = [...runs].reverse();
  const durations = ordered.map((r) => runDuration(r.startTime, r.endTime, now) ?? 0);
  const max = niceMax(Math.max(1000, ...durations) / 1000) * 1000;
  const innerW = Math.max(10, width - PAD.left - PAD.right);
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(ordered.length, 30);
  const barW = Math.max(3, Math.min(18, slot * 0.72));
  return (
    <div ref={ref} data-testid="run-history">
      <svg className="chart" width={width} height={HEIGHT} role="img" aria-label="Run durations">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="grid-line" x1={PAD.left} x2={width - PAD.right} y1={PAD.top + innerH * (1 - f)} y2={PAD.top + innerH * (1 - f)} />
            <text x={PAD.left - 8} y={PAD.top + innerH * (1 - f) + 4} textAnchor="end">{formatDuration(max * f)}</text>
          </g>
        ))}
        {ordered.map((run, i) => {
          const h = Math.max(3, (durations[i] / max) * innerH);
          return (
            <rect key={run.id} x={PAD.left + i * slot + (slot - barW) / 2} y={PAD.top + innerH - h} width={barW} height={h} rx={2.5}
              fill={stateColorVar(run.state)} style={{ cursor: "pointer" }} onClick={() => navigate(flowRunUrl(run.id))}
              onMouseMove={(e) => setHover({ run, x: e.clientX, y: e.clientY })} onMouseLeave={() => setHover(null)} />
          );
        })}
      </svg>
      {hover && (
        <div className="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          <div className="mono" style={{ fontWeight: 600 }}>{hover.run.name}</div>
          <div>{hover.run.state} · {formatDuration(runDuration(hover.run.startTime, hover.run.endTime, now))}</div>
          <div className="muted">{formatDateTime(hover.run.scheduledStartTime)}</div>
        </div>
      )}
    </div>
  );
}
