/** Every task run of a flow run, virtualised, with a state filter and a name search. */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";
import type { TaskRun } from "../api/types";
import { Link, useSearchParam } from "../lib/router";
import { familyOf, FAMILIES } from "../lib/states";
import { matchesTaskRunSearch, sortTaskRuns, taskRunName } from "../lib/taskRuns";
import { formatDateTime, formatDuration, runDuration } from "../lib/time";
import { taskRunUrl } from "../routes";
import { IconSearch } from "./icons";
import { StateBadge } from "./State";

const COLUMNS = "minmax(180px, 2fr) 130px 170px 90px 60px minmax(160px, 3fr)";

export function TaskRunTable({ runId, runs, order, version, now }: { runId: string; runs: Map<string, TaskRun>; order: string[]; version: number; now: number }) {
  const [state, setState] = useSearchParam("state");
  const [text, setText] = useState("");
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const all = useMemo(() => sortTaskRuns(runs.values(), order), [runs, version, order]);
  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const r of all) c.set(familyOf(r.state), (c.get(familyOf(r.state)) ?? 0) + 1);
    return c;
  }, [all]);
  const rows = useMemo(
    () => all.filter((r) => (!state || familyOf(r.state) === state) && matchesTaskRunSearch(r, text)),
    [all, state, text],
  );
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 40, overscan: 10, initialRect: { width: 900, height: 560 } });
  return (
    <div data-testid="task-run-table">
      <div className="toolbar">
        <label className="search">
          <IconSearch size={16} />
          <span className="sr-only">Filter task runs</span>
          <input className="input" type="search" placeholder="Filter by task (enrich[137]) or message…" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <select className="select" aria-label="Filter by state" value={state ?? ""} onChange={(e) => setState(e.target.value || null)} data-testid="task-state-filter">
          <option value="">All states ({all.length.toLocaleString()})</option>
          {FAMILIES.filter((f) => counts.has(f)).map((f) => (
            <option key={f} value={f}>{f} ({counts.get(f)!.toLocaleString()})</option>
          ))}
        </select>
        <span className="spacer" />
        <span className="small muted">{rows.length.toLocaleString()} shown</span>
      </div>
      <div className="vtable">
        <div className="vhead" style={{ gridTemplateColumns: COLUMNS }}>
          <span>Task</span><span>State</span><span>Started</span><span style={{ textAlign: "right" }}>Duration</span><span style={{ textAlign: "right" }}>Runs</span><span>Message</span>
        </div>
        <div ref={scroller} className="vscroll" style={{ height: Math.min(560, Math.max(80, rows.length * 40)) }}>
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((item) => {
              const r = rows[item.index];
              return (
                <div key={r.id} className="vrow" data-testid="task-run-row" style={{ gridTemplateColumns: COLUMNS, position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                  <Link to={taskRunUrl(runId, r.taskSlug, r.mapIndex)} className="mono ellipsis">{taskRunName(r)}</Link>
                  <span><StateBadge state={r.state} /></span>
                  <span className="small muted nowrap">{r.startTime ? formatDateTime(r.startTime) : "—"}</span>
                  <span className="small" style={{ textAlign: "right" }}>{formatDuration(runDuration(r.startTime, r.endTime, now))}</span>
                  <span className="small muted" style={{ textAlign: "right" }}>{r.runCount}</span>
                  <span className="small muted ellipsis" title={r.stateMessage ?? ""}>{r.stateMessage ?? ""}</span>
                </div>
              );
            })}
          </div>
          {rows.length === 0 && <div className="empty">No task run matches.</div>}
        </div>
      </div>
    </div>
  );
}
