/**
 * What the run page says about a run beyond its state: why it failed (the task runs that
 * failed by themselves, not the ones that only followed), which agent labels are missing
 * when no agent can take it, its attempts when it was restarted, and, before a restart,
 * what the restart will run again.
 */
import { useEffect, useState } from "react";
import { request } from "../api/client";
import { RESTART_FLOW_RUN } from "../api/documents";
import { useQuery } from "../api/hooks";
import { RESTART_PREVIEW, RUN_INSIGHT, type AgentMatch, type FailureSummary, type RunAttempt, type RunInsight } from "../api/insightDocuments";
import type { FlowRun } from "../api/types";
import { Link } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDateTime, formatDuration, runDuration } from "../lib/time";
import { taskRunUrl } from "../routes";
import { Command } from "./Empty";
import { Confirm, toast } from "./Feedback";
import { Card } from "./Page";

/** The run's insight, read again whenever the run's state changes (its version). */
export function useRunInsight(run: Pick<FlowRun, "id" | "version">): RunInsight | undefined {
  const { data, refetch } = useQuery(RUN_INSIGHT, { id: run.id });
  useEffect(() => {
    void refetch();
  }, [run.version, refetch]);
  return data?.flowRun;
}

/** When the current attempt began, if the run was restarted (the Gantt shows that one). */
export function currentAttemptStart(insight: RunInsight | undefined): number | undefined {
  const attempts = insight?.attempts ?? [];
  return attempts.length > 1 ? Date.parse(attempts[attempts.length - 1].began) : undefined;
}

export function RunInsightPanel({ run, insight, now }: { run: FlowRun; insight: RunInsight | undefined; now: number }) {
  if (!insight) return null;
  return (
    <>
      {insight.failureSummary?.text && <FailureCauses runId={run.id} summary={insight.failureSummary} />}
      {insight.agentMatch && !insight.agentMatch.covered && <NoAgent labels={run.labels} match={insight.agentMatch} />}
      {insight.attempts.length > 1 && <Attempts attempts={insight.attempts} now={now} />}
    </>
  );
}

function FailureCauses({ runId, summary }: { runId: string; summary: FailureSummary }) {
  const more = summary.total - summary.causes.length;
  return (
    <div className="banner error" data-testid="failure-summary" style={{ alignItems: "flex-start", flexDirection: "column", gap: 4 }}>
      <strong>{summary.total === 1 ? "Failed in" : `${summary.total} task runs failed, first in`}</strong>
      {summary.causes.map((cause) => (
        <div key={`${cause.taskSlug}:${cause.mapIndex}`} className="mono small" data-testid="failure-cause">
          <Link to={taskRunUrl(runId, cause.taskSlug, cause.mapIndex)}>{cause.taskRunName}</Link>
          {": "}
          {cause.exceptionType && <strong>{cause.exceptionType}</strong>}
          {cause.exceptionType ? (cause.message ?? "").slice(cause.exceptionType.length) : cause.message ?? cause.state}
        </div>
      ))}
      {more > 0 && <div className="small">and {more} more</div>}
    </div>
  );
}

function NoAgent({ labels, match }: { labels: string[]; match: AgentMatch }) {
  return (
    <div className="banner warn" data-testid="agent-match" style={{ alignItems: "flex-start", flexDirection: "column", gap: 6 }}>
      <strong>No healthy agent can take this run.</strong>
      <span className="small">
        {match.healthyAgents === 0
          ? `No agent is healthy. The run needs an agent with the labels ${labels.join(", ") || "(none)"}.`
          : `Missing labels: ${match.missingLabels.join(", ")}${match.closestAgent ? ` (the closest agent, ${match.closestAgent}, lacks them)` : ""}.`}
        {" "}Start an agent that has them:
      </span>
      {match.suggestion && <Command>{match.suggestion}</Command>}
    </div>
  );
}

function Attempts({ attempts, now }: { attempts: RunAttempt[]; now: number }) {
  return (
    <div style={{ marginBottom: 18 }}>
      <Card title="Attempts" hint={`${attempts.length}: the run was restarted; the timeline shows the last`} flush testId="attempts">
        <table className="table">
          <thead><tr><th>#</th><th>State</th><th>Started</th><th>Ended</th><th>Duration</th></tr></thead>
          <tbody>
            {attempts.map((attempt) => (
              <tr key={attempt.number} data-testid="attempt">
                <td>{attempt.number}</td>
                <td><strong style={{ color: stateColorVar(attempt.state) }}>{attempt.state}</strong></td>
                <td>{attempt.startTime ? formatDateTime(attempt.startTime) : "not started"}</td>
                <td>{attempt.endTime ? formatDateTime(attempt.endTime) : "—"}</td>
                <td data-testid="attempt-duration">{formatDuration(runDuration(attempt.startTime, attempt.endTime, now))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}

/** Why a task runs again (the server's `reason` values). */
const REASONS: Record<string, string> = {
  chosen: "chosen to restart from",
  failed: "failed",
  downstream: "after a failed task",
  not_persisted: "its result was not persisted",
};

/** Asks before restarting, saying what will run again and what is reused. */
export function RestartConfirm({ run, onDone, onCancel }: { run: FlowRun; onDone: () => void; onCancel: () => void }) {
  const { data, error } = useQuery(RESTART_PREVIEW, { id: run.id });
  const [busy, setBusy] = useState(false);
  const preview = data?.flowRun.restartPreview;
  const restart = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await request(RESTART_FLOW_RUN, { id: run.id });
      toast("Run restarted");
      onDone();
    } catch (failure) {
      toast(failure instanceof Error ? failure.message : String(failure), true);
      onCancel();
    }
  };
  return (
    <Confirm title="Restart this run?" confirmLabel="Restart" onCancel={onCancel} onConfirm={() => void restart()}>
      <span data-testid="restart-preview" style={{ display: "block" }}>
        {error ? "What the restart runs again could not be read." : !preview ? "Reading what the restart runs again…" : (
          <>
            <span style={{ display: "block" }}>
              A new attempt runs {preview.rerunCount.toLocaleString()} task run{preview.rerunCount === 1 ? "" : "s"} again
              {preview.reusedCount > 0 ? ` and reuses ${preview.reusedCount.toLocaleString()} with their persisted results` : ""}.
              Tasks without persisted results run again.
            </span>
            {preview.rerun.map((group) => (
              <span key={`${group.taskSlug}:${group.reason}`} className="small" style={{ display: "block", marginTop: 4 }} data-testid="rerun-group">
                <span className="mono">{group.taskSlug}</span>
                {group.mapIndexes.length > 0 && <span className="mono faint">[{group.mapIndexes.join(", ")}{group.count > group.mapIndexes.length ? ", …" : ""}]</span>}
                {group.count > 1 ? ` ×${group.count.toLocaleString()}` : ""} — {REASONS[group.reason] ?? group.reason}
              </span>
            ))}
          </>
        )}
      </span>
    </Confirm>
  );
}
