import { useEffect, useMemo, useState } from "react";
import { request } from "../api/client";
import { CREATE_FLOW_RUN, FLOW, FLOW_RUNS, RUN_FEED, SET_SCHEDULE_ACTIVE } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import { useCan } from "../api/session";
import type { Flow, FlowRun } from "../api/types";
import type { FlowRunsQueryVariables } from "../gql/graphql";
import { AgentReadiness } from "../components/AgentReadiness";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { FlowHousekeeping } from "../components/Housekeeping";
import { toast } from "../components/Feedback";
import { IconPlay } from "../components/icons";
import { Card, PageHead, Tabs } from "../components/Page";
import { NeedsValuesBanner, QuickRunButton } from "../components/QuickRun";
import { RunForm, type RunRequest } from "../components/RunForm";
import { RunHistory } from "../components/RunHistory";
import { RunsTable } from "../components/Runs";
import { Schematic } from "../components/Schematic";
import { SlaCard } from "../components/SlaCard";
import { Link, navigate, useSearchParam } from "../lib/router";
import { describeRunConfig } from "../lib/runConfig";
import { describeSchedule } from "../lib/schedule";
import { STATE_NAMES } from "../lib/states";
import { formatDateTime, formatRelative } from "../lib/time";
import { flowRunUrl, flowUrl } from "../routes";
import { BackfillsTab } from "./FlowBackfills";
import { ScheduleTab } from "./FlowSchedule";

export default function FlowPage({ params }: { params: Record<string, string> }) {
  const query = useQuery(FLOW, { id: params.id });
  const can = useCan();
  const [tab] = useSearchParam("tab");
  const active = tab === "runs" || tab === "run" || tab === "schedule" || tab === "backfills" ? tab : "overview";
  return (
    <Loaded query={query}>
      {({ flow }) => (
        <>
          <PageHead
            crumbs={[{ label: "Flows", to: "/flows" }, { label: flow.projectName, to: `/flows?project=${encodeURIComponent(flow.projectName)}` }]}
            title={<>{flow.name} <span className="tag">v{flow.version}</span>{flow.archived && <span className="tag">archived</span>}</>}
            subtitle={flow.description ?? undefined}
            actions={(
              <>
                {can.runFlows && !flow.archived && <QuickRunButton flowId={flow.id} flowName={flow.name} schema={flow.parameterSchema} />}
                {can.runFlows && !flow.archived && active !== "run" && <Link to={flowUrl(flow.id, "run")} className="btn btn-primary" data-testid="open-run-form"><IconPlay size={14} /> Run</Link>}
                {can.editFlows && <FlowHousekeeping flow={flow} onChanged={() => void query.refetch()} />}
              </>
            )}
          />
          <Tabs active={active} hrefFor={(id) => flowUrl(flow.id, id === "overview" ? undefined : id)}
            tabs={[{ id: "overview", label: "Overview" }, { id: "runs", label: "Runs" }, { id: "schedule", label: "Schedule" }, { id: "backfills", label: "Backfills" }, ...(can.runFlows ? [{ id: "run", label: "Run" }] : [])]} />
          {active === "overview" && <Overview flow={flow} onChanged={() => void query.refetch()} />}
          {active === "runs" && <FlowRuns flow={flow} />}
          {active === "schedule" && <ScheduleTab flow={flow} />}
          {active === "backfills" && <BackfillsTab flow={flow} />}
          {active === "run" && (can.runFlows ? <RunTab flow={flow} /> : <Card><p className="muted" style={{ margin: 0 }}>Your role may look at this flow but not start runs: ask an owner or admin of the team.</p></Card>)}
        </>
      )}
    </Loaded>
  );
}

function useFlowRuns(flow: Flow, variables: Omit<FlowRunsQueryVariables, "flowGroupId">) {
  const query = useQuery(FLOW_RUNS, { flowGroupId: flow.flowGroupId, ...variables });
  const refetch = useThrottled(() => void query.refetch(), 1500);
  useEffect(() => subscribe(RUN_FEED, {}, { next: refetch }), [refetch]);
  return query;
}

function Overview({ flow, onChanged }: { flow: Flow; onChanged: () => void }) {
  const now = useNow(10_000);
  const can = useCan();
  const history = useFlowRuns(flow, { first: 50, orderBy: "SCHEDULED_START_TIME_DESC" });
  const upcomingFrom = useMemo(() => new Date(Date.now() - 3_600_000).toISOString(), []);
  const upcoming = useFlowRuns(flow, { first: 5, states: ["Scheduled"], orderBy: "SCHEDULED_START_TIME_ASC", scheduledAfter: upcomingFrom });
  const schedule = describeSchedule(flow.schedule);
  const toggle = async () => {
    try {
      await request(SET_SCHEDULE_ACTIVE, { flowId: flow.id, active: !flow.scheduleActive });
      toast(`Schedule turned ${flow.scheduleActive ? "off" : "on"}`);
      onChanged();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    }
  };
  const storage = flow.storage ? Object.entries(flow.storage).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`) : [];
  const runConfig = describeRunConfig(flow.runConfig);
  return (
    <div className="stack">
      <div className="grid grid-main">
        <Card title="Schematic" hint={`${flow.tasks.length} tasks · ${flow.edges.length} edges`} flush>
          <Schematic tasks={flow.tasks} edges={flow.edges} />
        </Card>
        <div className="stack">
          <Card title="Details">
            <dl className="kv">
              <dt>Project</dt><dd>{flow.projectName}</dd>
              <dt>Version</dt>
              <dd>
                {flow.versions.map((v, i) => (
                  <span key={v.id}>{i > 0 && ", "}{v.id === flow.id ? <strong>v{v.version}</strong> : <Link to={flowUrl(v.id)}>v{v.version}</Link>}</span>
                ))}
              </dd>
              <dt>Registered</dt><dd title={formatDateTime(flow.created)}>{formatRelative(flow.created, now)}</dd>
              <dt>Labels</dt><dd className="row">{flow.labels.length ? flow.labels.map((l) => <span key={l} className="tag">{l}</span>) : <span className="faint">none</span>}</dd>
              <dt>Storage</dt><dd className="mono small">{storage.length ? storage.map((s) => <div key={s}>{s}</div>) : <span className="faint">none (local only)</span>}</dd>
              <dt>Runs in</dt>
              <dd data-testid="run-config">
                <div>{runConfig.kind}</div>
                {runConfig.lines.map((line) => <div key={line} className="mono small">{line}</div>)}
              </dd>
              <dt>Fingerprint</dt><dd className="mono small faint" title={flow.fingerprint}>{flow.fingerprint.slice(0, 12)}</dd>
            </dl>
          </Card>
          <Card title="Schedule" actions={schedule.clocks.length > 0 && can.editFlows && (
            <button type="button" role="switch" className="toggle" aria-checked={flow.scheduleActive} aria-label="Schedule active" onClick={() => void toggle()} data-testid="schedule-toggle" />
          )} testId="schedule-card">
            {schedule.clocks.length === 0 ? (
              <p className="muted" style={{ margin: 0 }}>No schedule. Give the flow one in code (<code>@flow(schedule=...)</code>) and register it again, or add a clock in the <Link to={flowUrl(flow.id, "schedule")}>Schedule</Link> tab.</p>
            ) : (
              <div className="stack" style={{ gap: 10 }}>
                <div>
                  {schedule.clocks.map((c) => <div key={c} className="mono small">{c}</div>)}
                  {schedule.filters.length > 0 && <div className="small muted">only {schedule.filters.join(", ")}</div>}
                  <div className="small" style={{ marginTop: 4, color: flow.scheduleActive ? "var(--state-success)" : "var(--text-faint)" }} data-testid="schedule-status">
                    {flow.scheduleActive ? "Active" : "Paused"}
                  </div>
                </div>
                <NextRuns flow={flow} runs={upcoming.data?.flowRuns.nodes ?? []} now={now} />
              </div>
            )}
          </Card>
          <SlaCard flow={flow} />
        </div>
      </div>
      <Card title="Run history" hint="last 50 runs: height is duration">
        {history.data && history.data.flowRuns.nodes.length === 0 ? (
          <EmptyState title="No runs yet">{can.runFlows ? <>Start one from the <Link to={flowUrl(flow.id, "run")}>Run</Link> tab; an agent (<code>proctor agent start</code>) executes it.</> : "Runs appear here when the schedule or a team member starts one."}</EmptyState>
        ) : (
          <RunHistory runs={history.data?.flowRuns.nodes ?? []} now={now} />
        )}
      </Card>
    </div>
  );
}

/**
 * The schedule's next start times (computed by the server from the stored schedule),
 * each linked to its run once the scheduler has created it; while the schedule is paused
 * they are what it would do, and no run is created.
 */
function NextRuns({ flow, runs, now }: { flow: Flow; runs: FlowRun[]; now: number }) {
  const byStart = new Map(runs.map((run) => [Date.parse(run.scheduledStartTime), run]));
  const times = flow.nextRunTimes ?? [];
  return (
    <div data-testid="next-run-times">
      <div className="small muted" style={{ fontWeight: 600, marginBottom: 4 }}>{flow.scheduleActive ? "Next runs" : "Next times (paused: no run is created)"}</div>
      {times.length === 0 ? (
        <div className="small faint">This schedule has no upcoming time.</div>
      ) : (
        times.map((time) => {
          const run = byStart.get(Date.parse(time));
          return (
            <div key={time} className="row small" style={{ justifyContent: "space-between", opacity: flow.scheduleActive ? 1 : 0.6 }} data-testid="next-run-time" data-time={time}>
              {run ? <Link to={flowRunUrl(run.id)}>{formatDateTime(time)}</Link> : <span>{formatDateTime(time)}</span>}
              <span className="faint">{formatRelative(time, now)}</span>
            </div>
          );
        })
      )}
    </div>
  );
}

function FlowRuns({ flow }: { flow: Flow }) {
  const now = useNow(10_000);
  const [state, setState] = useSearchParam("state");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const query = useFlowRuns(flow, { first: 50, after: cursors[cursors.length - 1], states: state ? [state] : null, orderBy: "SCHEDULED_START_TIME_DESC" });
  return (
    <Card flush title="Runs" hint={query.data ? `${(query.data.flowRuns.totalCount ?? 0).toLocaleString()} runs` : undefined}
      actions={
        <select className="select" aria-label="Filter by state" value={state ?? ""} onChange={(e) => { setState(e.target.value || null); setCursors([null]); }}>
          <option value="">All states</option>
          {STATE_NAMES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      }>
      <Loaded query={query}>
        {({ flowRuns }) => (
          flowRuns.nodes.length === 0 ? (
            <EmptyState title={state ? `No ${state} runs` : "No runs yet"}>Runs of every version of this flow are listed here.</EmptyState>
          ) : (
            <>
              <RunsTable runs={flowRuns.nodes} now={now} showFlow={false} versions={flow.versions.length > 1 ? new Map(flow.versions.map((v) => [v.id, v.version])) : undefined} />
              {(cursors.length > 1 || flowRuns.pageInfo.hasNextPage) && (
                <div className="toolbar" style={{ justifyContent: "flex-end", borderTop: "1px solid var(--border)" }}>
                  <button type="button" className="btn btn-sm" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
                  <button type="button" className="btn btn-sm" disabled={!flowRuns.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, flowRuns.pageInfo.endCursor])}>Next</button>
                </div>
              )}
            </>
          )
        )}
      </Loaded>
    </Card>
  );
}

function RunTab({ flow }: { flow: Flow }) {
  const [need] = useSearchParam("need");
  if (flow.archived) {
    return <Card><p className="muted">This version is archived; run the <Link to={flowUrl(flow.versions[0]?.id ?? flow.id, "run")}>current version</Link>.</p></Card>;
  }
  const submit = async (run: RunRequest) => {
    const input = { flowId: flow.id, parameters: run.parameters, name: run.name, labels: run.labels, scheduledStartTime: run.scheduledStartTime, ...(run.env ? { env: run.env } : {}) };
    const result = await request(CREATE_FLOW_RUN, { input });
    toast(`Run ${result.createFlowRun.name} created`);
    navigate(flowRunUrl(result.createFlowRun.id));
  };
  return (
    <div className="grid grid-main">
      <Card title="Start a run" hint="parameters from the flow’s signature">
        <NeedsValuesBanner names={need ? need.split(",").filter(Boolean) : []} />
        <RunForm schema={flow.parameterSchema} onSubmit={submit} defaultLabels={flow.labels} />
      </Card>
      <Card title="What happens next">
        <ol className="muted" style={{ margin: 0, paddingLeft: 18, display: "grid", gap: 8 }}>
          <li>The run is created as <strong>Scheduled</strong> for now (or the start time you pick).</li>
          <li>An agent whose labels cover the run’s labels claims it and starts it on its machine.</li>
          <li>This page follows it live: states, the Gantt timeline and the logs.</li>
        </ol>
        <AgentReadiness labels={flow.labels} />
      </Card>
    </div>
  );
}
