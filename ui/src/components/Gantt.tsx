/**
 * The Gantt timeline of a flow run's task runs. One row per task; a mapped task is one
 * aggregated row (span of its children, a bar split by how many are in each state) that
 * expands into its children. Rows are virtualised, so an expanded 10,000-child map is
 * still only the rows on screen.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState, type CSSProperties } from "react";
import type { TaskRun, TaskSummaryEntry } from "../api/types";
import { barGeometry, buildRows, buildSummaryRows, domainOf, tickLabel, ticks } from "../lib/gantt";
import { Link } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDuration } from "../lib/time";
import { useWidth } from "../lib/useSize";
import { taskRunUrl } from "../routes";
import { IconChevron } from "./icons";
import { StateDot } from "./State";

const ROW = 30;
const LABEL = 260;

/**
 * `runs` are the task runs known so far; until they are all loaded (`complete`), rows come
 * from the server's per-task `summary` and `runs` only fill expanded groups. `since`, for a
 * restarted run, is when its current attempt began: the chart spans that attempt, and task
 * runs that finished before it (reused from an earlier attempt) say so instead of a bar.
 */
export function Gantt({ runId, runs, order, now, version, summary, complete = true, since }: { runId: string; runs: Map<string, TaskRun>; order: string[]; now: number; version: number; summary?: TaskSummaryEntry[]; complete?: boolean; since?: number }) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [ref, width] = useWidth<HTMLDivElement>(900);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const rows = useMemo(
    () => (!complete && summary ? buildSummaryRows(summary, { order, expanded, now, children: runs.values() }) : buildRows(runs.values(), { order, expanded, now })),
    [runs, version, order, expanded, now, complete, summary],
  );
  const reused = (row: (typeof rows)[number]) => since != null && row.end != null && !row.open && row.end < since;
  const domain = domainOf(since != null ? rows.filter((row) => !reused(row)) : rows, { start: since ?? now - 60_000, end: now });
  const trackWidth = Math.max(50, width - LABEL - 18);
  const axis = ticks(domain, Math.max(2, Math.floor(trackWidth / 90)));
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12, initialRect: { width: 900, height: 520 } });
  const toggle = (slug: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(slug)) next.delete(slug);
      else next.add(slug);
      return next;
    });
  const gridStyle = { backgroundSize: `${(axis.step / Math.max(1, domain.end - domain.start)) * trackWidth}px 100%` };

  return (
    <div className="gantt" ref={ref} data-testid="gantt" style={{ "--label-width": `${LABEL}px` } as CSSProperties}>
      <div className="axis">
        <div className="glabel faint small">Task</div>
        <div className="ticks" style={{ marginRight: 18 }}>
          {axis.values.map((t) => (
            <span key={t} className="tick" style={{ left: ((t - domain.start) / Math.max(1, domain.end - domain.start)) * trackWidth }}>
              {tickLabel(t - domain.start, axis.step)}
            </span>
          ))}
        </div>
      </div>
      <div ref={scroller} className="vscroll" style={{ height: Math.min(520, Math.max(ROW, rows.length * ROW)) }}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            const geometry = barGeometry(row, domain, trackWidth);
            const total = row.segments.reduce((n, s) => n + s.count, 0);
            const duration = row.start != null && row.end != null ? formatDuration(row.end - row.start) : "not started";
            return (
              <div key={row.key} className="grow" data-testid="gantt-row" data-slug={row.slug} data-state={row.state}
                style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                <div className={`glabel${row.depth ? " child" : ""}`}>
                  {row.childCount > 0 ? (
                    <button type="button" className="chev" onClick={() => toggle(row.slug)} aria-expanded={row.expanded} aria-label={`${row.expanded ? "Collapse" : "Expand"} ${row.label}`}>
                      <IconChevron size={14} style={{ transform: row.expanded ? "rotate(90deg)" : undefined, transition: "transform .12s" }} />
                    </button>
                  ) : (
                    !row.depth && <span style={{ width: 20 }} />
                  )}
                  <StateDot state={row.state} />
                  <Link to={taskRunUrl(runId, row.slug, row.mapIndex)} title={row.label}>{row.label}</Link>
                  {row.childCount > 0 && <span className="count">×{row.childCount.toLocaleString()}</span>}
                </div>
                <div className="track" style={gridStyle}>
                  {reused(row) && <span className="small faint" data-testid="gantt-reused" style={{ paddingLeft: 6 }}>reused from an earlier attempt</span>}
                  {geometry && !reused(row) && (
                    <div className={`bar${row.open ? " open" : ""}`} style={{ left: geometry.left, width: geometry.width }}
                      title={`${row.label}: ${row.state}, ${duration}${row.childCount ? ` (${row.segments.map((s) => `${s.count} ${s.family}`).join(", ")})` : ""}`}>
                      {row.segments.map((s) => (
                        <span key={s.family} style={{ width: `${(s.count / Math.max(1, total)) * 100}%`, "--c": stateColorVar(s.family) } as CSSProperties} />
                      ))}
                    </div>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
