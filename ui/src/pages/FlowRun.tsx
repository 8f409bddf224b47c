import { useMemo, useState, type CSSProperties } from "react";
import { request } from "../api/client";
import { CANCEL_FLOW_RUN, DELETE_FLOW_RUN, SET_FLOW_RUN_STATES } from "../api/documents";
import { useNow } from "../api/hooks";
import { useCan } from "../api/session";
import type { FlowRun, StateRecord, TaskRun, TaskSummaryEntry } from "../api/types";
import { EmptyState } from "../components/Empty";
import { ErrorMessage } from "../components/ErrorView";
import { Confirm, toast } from "../components/Feedback";
import { Gantt } from "../components/Gantt";
import { IconPlay, IconRestart, IconStop, IconTrash } from "../components/icons";
import { LogView } from "../components/LogView";
import { RunArtifacts } from "../components/Artifacts";
import { Card, PageHead, Tabs } from "../components/Page";
import { RestartConfirm, RunInsightPanel, currentAttemptStart, useRunInsight } from "../components/RunInsight";
import { CompareWithButton, MarkAsButton, RestartFromButton } from "../components/Steering";
import { Schematic } from "../components/Schematic";
import { StateBadge, StateDot } from "../components/State";
import { TaskRunTable } from "../components/TaskRunTable";
import { topologicalOrder } from "../lib/graph";
import { navigate, useSearchParam } from "../lib/router";
import { familyOf, isFinished, stateColorVar, summarize, FAMILIES } from "../lib/states";
import { summarizeBySlug, summaryBySlug } from "../lib/taskRuns";
import { formatDateTime, formatDuration, formatRelative, runDuration } from "../lib/time";
import { flowRunUrl, flowUrl, taskRunUrl } from "../routes";
import { useFlowRunLive } from "./useFlowRunLive";

const TABS = ["overview", "tasks", "logs", "artifacts", "parameters", "history"] as const;
type Tab = (typeof TABS)[number];

export default function FlowRunPage({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const live = useFlowRunLive(id);
  const [tabParam] = useSearchParam("tab");
  const tab: Tab = (TABS as readonly string[]).includes(tabParam ?? "") ? (tabParam as Tab) : "overview";
  const now = useNow(1000);
  const flow = live.graph;
  const order = useMemo(() => (flow ? topologicalOrder(flow.tasks, flow.edges) : []), [flow]);
  const insight = useRunInsight({ id, version: live.run?.version ?? -1 });
  // What "Restart from…" offers: the flow's tasks in graph order, parameters left out.
  const restartable = useMemo(() => {
    const parameters = new Set(flow?.tasks.filter((t) => t.isParameter).map((t) => t.slug));
    return order.filter((slug) => !parameters.has(slug));
  }, [flow, order]);

  if (live.deleted) {
    return (
      <Card>
        <EmptyState title="This run was deleted">It no longer exists on the server.</EmptyState>
      </Card>
    );
  }
  if (!live.run) {
    if (live.error) return <ErrorMessage error={live.error} onRetry={() => void live.refetch()} />;
    return <div className="skeleton" style={{ height: 300 }} />;
  }
  const run = live.run;
  return (
    <>
      <PageHead
        crumbs={[{ label: "Flows", to: "/flows" }, { label: run.flowName, to: flowUrl(run.flowId) }, { label: "Runs", to: flowUrl(run.flowId, "runs") }]}
        title={<><span className="mono" style={{ fontSize: 20 }}>{run.name}</span><StateBadge state={run.state} large /></>}
        subtitle={run.stateMessage ?? undefined}
        actions={<RunActions run={run} tasks={restartable} onChanged={() => void live.refetch()} />}
      />
      <RunFacts run={run} now={now} />
      <RunInsightPanel run={run} insight={insight} now={now} />
      <Tabs active={tab} hrefFor={(t) => flowRunUrl(id, t === "overview" ? undefined : t)}
        tabs={[
          { id: "overview", label: "Overview" },
          { id: "tasks", label: "Task runs", count: live.taskTotal ?? live.taskRuns.size },
          { id: "logs", label: "Logs" },
          { id: "artifacts", label: "Artifacts" },
          { id: "parameters", label: "Parameters" },
          { id: "history", label: "State history", count: live.states.length || null },
        ]} />
      {tab === "overview" && (
        <div className="stack">
          <Card title="Schematic" hint="coloured by task state, live" flush>
            {flow ? (
              <Schematic tasks={flow.tasks} edges={flow.edges} status={statusBySlug(live)} onSelect={(slug) => navigate(taskRunUrl(id, slug))} />
            ) : (
              <div className="skeleton" style={{ height: 420 }} />
            )}
          </Card>
          <Card title="Timeline" hint={live.loadingTasks ? `loading task runs… ${live.taskRuns.size.toLocaleString()}${live.taskTotal ? ` / ${live.taskTotal.toLocaleString()}` : ""}` : `${live.taskRuns.size.toLocaleString()} task runs`} flush>
            {live.taskRuns.size === 0 && (live.summary?.length ?? 0) === 0 && (!live.loadingTasks || live.summary) ? (
              <EmptyState title="No task has run yet">
                {familyOf(run.state) === "Scheduled" || familyOf(run.state) === "Pending"
                  ? "The run is waiting for an agent. Start one with proctor agent start."
                  : "Task runs appear here as the run reports them."}
              </EmptyState>
            ) : (
              <Gantt runId={id} runs={live.taskRuns} summary={live.summary} complete={!live.loadingTasks && !live.summaryIsFresher} order={order} now={isFinished(run.state) ? (Date.parse(run.endTime ?? run.stateTimestamp) || now) : now} version={live.taskVersion} since={currentAttemptStart(insight)} />
            )}
          </Card>
        </div>
      )}
      {tab === "tasks" && (
        <Card flush>
          <TaskRunTable runId={id} runs={live.taskRuns} order={order} version={live.taskVersion} now={now} />
        </Card>
      )}
      {tab === "logs" && (
        <Card flush>
          <LogView flowRunId={id} fileName={`${run.flowName}-${run.name}.log`} />
        </Card>
      )}
      {tab === "artifacts" && <RunArtifacts flowRunId={id} live={!isFinished(run.state)} />}
      {tab === "parameters" && (
        <Card title="Parameters" hint="as the run received them, defaults filled in">
          {Object.keys(run.parameters ?? {}).length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>This run has no parameters.</p>
          ) : (
            <table className="table" data-testid="parameters">
              <thead><tr><th>Name</th><th>Value</th></tr></thead>
              <tbody>
                {Object.entries(run.parameters).map(([name, value]) => (
                  <tr key={name}><td className="mono">{name}</td><td><code>{JSON.stringify(value)}</code></td></tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
      {tab === "history" && (
        <Card title="State history" flush>
          <StateHistory states={live.states} />
        </Card>
      )}
    </>
  );
}

// The status only changes when task runs do: keyed on the store's version. Until every
// task run is loaded it comes from the server's summary.
const summaryCache = new WeakMap<object, { version: number; value: ReturnType<typeof summarizeBySlug> }>();
function statusBySlug(live: { taskRuns: Map<string, TaskRun>; taskVersion: number; loadingTasks: boolean; summaryIsFresher: boolean; summary?: TaskSummaryEntry[] }) {
  if ((live.loadingTasks || live.summaryIsFresher) && live.summary) return summaryBySlugMemo(live.summary);
  const cached = summaryCache.get(live.taskRuns);
  if (cached && cached.version === live.taskVersion) return cached.value;
  const value = summarizeBySlug(live.taskRuns.values());
  summaryCache.set(live.taskRuns, { version: live.taskVersion, value });
  return value;
}

const fromSummary = new WeakMap<TaskSummaryEntry[], ReturnType<typeof summaryBySlug>>();
function summaryBySlugMemo(summary: TaskSummaryEntry[]) {
  let value = fromSummary.get(summary);
  if (!value) {
    value = summaryBySlug(summary);
    fromSummary.set(summary, value);
  }
  return value;
}

function RunFacts({ run, now }: { run: FlowRun; now: number }) {
  const duration = runDuration(run.startTime, run.endTime, now);
  return (
    <div className="grid grid-4" style={{ marginBottom: 18 }}>
      <div className="card stat">
        <div className="label">Scheduled</div>
        <div style={{ fontWeight: 600, marginTop: 6 }}>{formatDateTime(run.scheduledStartTime)}</div>
        <div className="foot">{formatRelative(run.scheduledStartTime, now)}{run.autoScheduled ? " · by the schedule" : ""}</div>
      </div>
      <div className="card stat">
        <div className="label">Started</div>
        <div style={{ fontWeight: 600, marginTop: 6 }}>{run.startTime ? formatDateTime(run.startTime) : "not yet"}</div>
        <div className="foot">{run.runCount > 1 ? `attempt ${run.runCount}` : run.agentId ? "by an agent" : " "}</div>
      </div>
      <div className="card stat">
        <div className="label">Ended</div>
        <div style={{ fontWeight: 600, marginTop: 6 }}>{run.endTime ? formatDateTime(run.endTime) : isFinished(run.state) ? formatDateTime(run.stateTimestamp) : "—"}</div>
        <div className="foot">state since {formatRelative(run.stateTimestamp, now)}</div>
      </div>
      <div className="card stat">
        <div className="label">Duration</div>
        <div className="value" data-testid="run-duration">{formatDuration(duration)}</div>
        <div className="foot">{run.labels.length ? `labels: ${run.labels.join(", ")}` : "no labels"}</div>
      </div>
    </div>
  );
}

function RunActions({ run, tasks, onChanged }: { run: FlowRun; tasks: string[]; onChanged: () => void }) {
  const can = useCan();
  const [confirm, setConfirm] = useState<"cancel" | "delete" | "restart" | null>(null);
  const family = familyOf(run.state);
  const act = async (label: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      toast(label);
      onChanged();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    }
  };
  const startNow = () =>
    act("Run moved to start now", async () => {
      const now = new Date().toISOString();
      const [result] = (await request(SET_FLOW_RUN_STATES, {
        changes: [{ flowRunId: run.id, version: run.version, state: { type: "Scheduled", message: "Start now (from the UI).", timestamp: now, start_time: now } }],
      })).setFlowRunStates;
      if (!result?.accepted) throw new Error(result?.reason ?? "The server refused the change.");
    });
  const compare = <CompareWithButton runId={run.id} flowGroupId={run.flowGroupId} />;
  // Read-only people see the run, never a control that would be refused.
  if (!can.runFlows) return compare;
  return (
    <>
      {compare}
      <MarkAsButton target={{ kind: "flow_run", id: run.id, label: `Run ${run.name}`, state: run.state }} onDone={onChanged} />
      {isFinished(run.state) && tasks.length > 0 && <RestartFromButton runId={run.id} tasks={tasks} onDone={onChanged} />}
      {family === "Scheduled" && Date.parse(run.scheduledStartTime) > Date.now() && (
        <button type="button" className="btn" onClick={() => void startNow()} data-testid="start-now"><IconPlay size={14} /> Start now</button>
      )}
      {!isFinished(run.state) && family !== "Cancelling" && (
        <button type="button" className="btn btn-danger" onClick={() => setConfirm("cancel")} data-testid="cancel-run"><IconStop size={14} /> Cancel</button>
      )}
      {isFinished(run.state) && (
        <button type="button" className="btn" onClick={() => setConfirm("restart")} data-testid="restart-run">
          <IconRestart size={15} /> Restart
        </button>
      )}
      <button type="button" className="btn btn-ghost btn-danger" onClick={() => setConfirm("delete")} aria-label="Delete run" data-testid="delete-run"><IconTrash size={15} /></button>
      {confirm === "cancel" && (
        <Confirm title="Cancel this run?" confirmLabel="Cancel run" danger onCancel={() => setConfirm(null)}
          onConfirm={() => { setConfirm(null); void act("Cancellation requested", () => request(CANCEL_FLOW_RUN, { id: run.id })); }}>
          A running run stops at its next checkpoint; a run that has not started is cancelled at once.
        </Confirm>
      )}
      {confirm === "restart" && <RestartConfirm run={run} onCancel={() => setConfirm(null)} onDone={() => { setConfirm(null); onChanged(); }} />}
      {confirm === "delete" && (
        <Confirm title="Delete this run?" confirmLabel="Delete" danger onCancel={() => setConfirm(null)}
          onConfirm={async () => {
            try {
              await request(DELETE_FLOW_RUN, { id: run.id });
              toast(`Run ${run.name} deleted`);
              navigate(flowUrl(run.flowId, "runs"), { replace: true });
            } catch (error) {
              setConfirm(null);
              toast(error instanceof Error ? error.message : String(error), true);
            }
          }}>
          Its task runs, state history and logs are deleted with it. This cannot be undone.
        </Confirm>
      )}
    </>
  );
}

export function StateHistory({ states }: { states: StateRecord[] }) {
  if (states.length === 0) return <div className="empty">No state recorded yet.</div>;
  return (
    <ul className="history" data-testid="state-history">
      {states.map((s, i) => {
        const next = states[i + 1];
        const spent = next ? Date.parse(next.timestamp) - Date.parse(s.timestamp) : null;
        return (
          <li key={s.id}>
            <StateDot state={s.state} still />
            <div>
              <div className="row" style={{ gap: 8 }}>
                <strong style={{ color: stateColorVar(s.state) }}>{s.state}</strong>
                {spent != null && <span className="small faint">for {formatDuration(spent)}</span>}
              </div>
              {s.message && <div className="small muted">{s.message}</div>}
              {s.startTime && familyOf(s.state) === "Scheduled" && <div className="small faint">start at {formatDateTime(s.startTime)}</div>}
            </div>
            <span className="small muted nowrap" title={s.timestamp}>{formatDateTime(s.timestamp)}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** A strip of coloured segments: how many task runs are in each state. */
export function StateStrip({ states }: { states: string[] }) {
  const { counts, total } = summarize(states);
  return (
    <div style={{ display: "flex", height: 8, borderRadius: 4, overflow: "hidden", background: "var(--bg-sunken)" }}>
      {FAMILIES.filter((f) => counts.has(f)).map((f) => (
        <span key={f} style={{ width: `${(counts.get(f)! / total) * 100}%`, background: stateColorVar(f) } as CSSProperties} title={`${counts.get(f)} ${f}`} />
      ))}
    </div>
  );
}
