/**
 * The timeline of runs: one bar per run over time, rows grouped by flow, coloured by
 * state, from a day down to an hour (buttons, or the mouse wheel over the chart). It
 * draws the runs that started in the window, at most `CAP` of them, and says so when
 * more started ("showing N of M").
 */
import { useEffect, useMemo, useState, type WheelEvent } from "react";
import { RUN_FEED } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import { RUNS_TIMELINE } from "../api/runsDocuments";
import { navigate, useSearchParam } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDateTime, formatDuration } from "../lib/time";
import { clockTicks, DEFAULT_ZOOM, layoutTimeline, stepZoom, zoomOf, ZOOMS, type Zoom } from "../lib/timeline";
import { useWidth } from "../lib/useSize";
import { flowRunUrl } from "../routes";
import { Card } from "./Page";
import "../styles/runs.css";

const CAP = 1000;
const LABEL = 150;
const ROW = 16;
const AXIS = 22;
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export interface TimelineFilters {
  states?: string[] | null;
  flowName?: string | null;
  project?: string | null;
}

export function RunsTimeline({ zoom, onZoom, filters = {} }: { zoom: Zoom; onZoom: (zoom: Zoom) => void; filters?: TimelineFilters }) {
  const tick = useNow(30_000);
  const [ref, width] = useWidth<HTMLDivElement>(900);
  // The window ends now, rounded to 10 s so the query (and its cache key) is stable.
  const end = Math.ceil(tick / 10_000) * 10_000;
  const start = end - zoom.ms;
  const variables = useMemo(
    () => ({
      startedAfter: new Date(start).toISOString(),
      startedBefore: new Date(end).toISOString(),
      first: CAP,
      states: filters.states?.length ? filters.states : null,
      flowName: filters.flowName || null,
      project: filters.project || null,
    }),
    [start, end, filters.states, filters.flowName, filters.project],
  );
  const query = useQuery(RUNS_TIMELINE, variables);
  const refetch = useThrottled(() => void query.refetch(), 3000);
  useEffect(() => subscribe(RUN_FEED, {}, { next: refetch }), [refetch]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.data, tick]);

  const nodes = query.data?.flowRuns.nodes ?? [];
  const total = query.data?.flowRuns.totalCount ?? nodes.length;
  const window = { start, end };
  const layout = useMemo(() => layoutTimeline(nodes, { start, end }, now, CAP), [nodes, start, end, now]);
  const track = Math.max(100, width - LABEL - 8);
  const x = (t: number) => LABEL + ((Math.min(Math.max(t, start), end) - start) / Math.max(1, end - start)) * track;
  const height = AXIS + Math.max(1, layout.rows) * ROW + 4;

  const onWheel = (event: WheelEvent<HTMLDivElement>) => {
    if (event.deltaY === 0) return;
    const next = stepZoom(zoom, event.deltaY);
    if (next.id !== zoom.id) onZoom(next);
  };

  return (
    <div className="runs-timeline" ref={ref} data-testid="runs-timeline" data-zoom={zoom.id}>
      <div className="toolbar" style={{ justifyContent: "space-between", padding: "0 0 8px" }}>
        <div className="row" role="group" aria-label="Zoom">
          {ZOOMS.map((z) => (
            <button key={z.id} type="button" className={`btn btn-sm${z.id === zoom.id ? " btn-primary" : ""}`} aria-pressed={z.id === zoom.id}
              onClick={() => onZoom(z)} data-testid={`zoom-${z.id}`}>
              {z.label}
            </button>
          ))}
        </div>
        <span className="small muted" data-testid="timeline-count">
          {total > layout.bars.length
            ? `showing ${layout.bars.length.toLocaleString()} of ${total.toLocaleString()} runs`
            : `${layout.bars.length.toLocaleString()} runs`}{" "}
          started since {formatDateTime(start)}
        </span>
      </div>
      <div className="timeline-scroll" onWheel={onWheel}>
        {layout.bars.length === 0 ? (
          <div className="muted small" style={{ padding: "18px 0" }} data-testid="timeline-empty">No run started in this window.</div>
        ) : (
          <svg width={LABEL + track + 8} height={height} role="img" aria-label={`Runs over the last ${zoom.label}`}>
            {clockTicks(window, Math.max(2, Math.floor(track / 80))).map((t) => (
              <g key={t}>
                <line x1={x(t)} x2={x(t)} y1={AXIS - 4} y2={height} className="timeline-grid" />
                <text x={x(t)} y={12} textAnchor="middle" className="timeline-tick">{clock.format(t)}</text>
              </g>
            ))}
            {layout.groups.map((group, i) => (
              <g key={group.flowName}>
                {i > 0 && <line x1={0} x2={LABEL + track} y1={AXIS + group.firstRow * ROW} y2={AXIS + group.firstRow * ROW} className="timeline-divider" />}
                <text x={4} y={AXIS + group.firstRow * ROW + 12} className="timeline-label">
                  {group.flowName.length > 20 ? `${group.flowName.slice(0, 19)}…` : group.flowName}
                </text>
              </g>
            ))}
            {layout.bars.map((bar) => (
              <rect key={bar.id} x={x(bar.start)} y={AXIS + bar.row * ROW + 3} width={Math.max(2, x(bar.end) - x(bar.start))} height={ROW - 6} rx={2}
                fill={stateColorVar(bar.state)} data-state={bar.family} data-run={bar.name} className="timeline-bar"
                onClick={() => navigate(flowRunUrl(bar.id))}>
                <title>{`${bar.flowName} · ${bar.name}: ${bar.state}, ${formatDateTime(bar.start)}, ${bar.open ? "running for " : ""}${formatDuration(bar.end - bar.start)}`}</title>
              </rect>
            ))}
          </svg>
        )}
      </div>
    </div>
  );
}

/** The timeline in a card whose zoom is kept in the URL (`?zoom=1h`): the dashboard's. */
export function RunsTimelineCard() {
  const [zoom, setZoom] = useSearchParam("zoom");
  return (
    <Card title="Timeline" hint="runs that started in the window, by flow" testId="timeline-card">
      <RunsTimeline zoom={zoomOf(zoom)} onZoom={(z) => setZoom(z.id === DEFAULT_ZOOM.id ? null : z.id)} />
    </Card>
  );
}
