/** Small building blocks for lists of flow runs. */
import type { CSSProperties } from "react";
import type { FlowRun } from "../api/types";
import { Link } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDateTime, formatDuration, formatRelative, runDuration } from "../lib/time";
import { flowRunUrl } from "../routes";
import { StateBadge } from "./State";

export function RunDots({ runs, limit = 10 }: { runs: Pick<FlowRun, "id" | "name" | "state" | "scheduledStartTime">[]; limit?: number }) {
  const shown = runs.slice(0, limit).reverse();
  const blanks = Math.max(0, limit - shown.length);
  return (
    <div className="run-dots" aria-label="Last runs">
      {Array.from({ length: blanks }, (_, i) => <span key={`b${i}`} className="blank" />)}
      {shown.map((run) => (
        <Link key={run.id} to={flowRunUrl(run.id)} style={{ "--c": stateColorVar(run.state) } as CSSProperties}
          title={`${run.name}: ${run.state} (${formatDateTime(run.scheduledStartTime)})`} aria-label={`${run.name}: ${run.state}`} />
      ))}
    </div>
  );
}

/** `versions` (flow id -> version number): a Version column, for a flow with several. */
export function RunsTable({ runs, now, showFlow = true, versions }: { runs: FlowRun[]; now: number; showFlow?: boolean; versions?: Map<string, number> }) {
  return (
    <table className="table" data-testid="runs-table">
      <thead>
        <tr>
          <th>Run</th>
          {showFlow && <th>Flow</th>}
          {versions && <th>Version</th>}
          <th>State</th>
          <th>Scheduled</th>
          <th>Started</th>
          <th className="num">Duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td><Link to={flowRunUrl(run.id)} className="mono">{run.name}</Link></td>
            {showFlow && <td>{run.flowName}</td>}
            {versions && <td className="muted" data-testid="run-version">{versions.has(run.flowId) ? `v${versions.get(run.flowId)}` : "—"}</td>}
            <td><StateBadge state={run.state} title={run.stateMessage ?? undefined} /></td>
            <td className="muted nowrap" title={formatDateTime(run.scheduledStartTime)}>{formatRelative(run.scheduledStartTime, now)}</td>
            <td className="muted nowrap">{run.startTime ? formatDateTime(run.startTime) : "—"}</td>
            <td className="num">{formatDuration(runDuration(run.startTime, run.endTime, now))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
