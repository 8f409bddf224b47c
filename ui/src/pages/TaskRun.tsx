/**
 * One task run (`/runs/ID/tasks/SLUG[/INDEX]`): read in one request by `taskRun(flowRunId,
 * taskSlug, mapIndex)` with its state history, its flow run, its task node and the edges
 * in and out of it, so a deep link works on a reload; re-read when the run reports a
 * change of this task. A task that has not run yet has no task run: the page says so.
 */
import { useEffect, useMemo, useState } from "react";
import { ApiError, request } from "../api/client";
import { FLOW_RUN_LIVE, TASK_CHILDREN, TASK_RUN } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import type { FlowEdge, TaskRun } from "../api/types";
import type { TaskChildrenQuery, TaskRunQuery } from "../gql/graphql";
import { TaskRunOutputs } from "../components/Artifacts";
import { EmptyState } from "../components/Empty";
import { ErrorMessage, NotFound } from "../components/ErrorView";
import { LogView } from "../components/LogView";
import { Card, PageHead, Tabs } from "../components/Page";
import { StateBadge } from "../components/State";
import { TaskFailure } from "../components/TaskFailure";
import { TaskRunTable } from "../components/TaskRunTable";
import { useCan } from "../api/session";
import { MarkAsButton, RestartFromButton } from "../components/Steering";
import { Link, navigate, useSearchParam } from "../lib/router";
import { familyOf, isFinished } from "../lib/states";
import { decodeRows } from "../lib/taskRuns";
import { formatDateTime, formatDuration, runDuration } from "../lib/time";
import { flowRunUrl, flowUrl, taskRunUrl } from "../routes";
import { StateHistory } from "./FlowRun";

export type TaskRunDetail = NonNullable<TaskRunQuery["taskRun"]>;

export default function TaskRunPage({ params }: { params: Record<string, string> }) {
  const runId = params.id;
  const slug = params.slug;
  const mapIndex = params.index != null ? (/^\d+$/.test(params.index) ? Number(params.index) : NaN) : -1;
  const query = useQuery(TASK_RUN, { flowRunId: runId, taskSlug: slug, mapIndex }, { skip: Number.isNaN(mapIndex) });
  const refetch = useThrottled(() => void query.refetch(), 500);
  useEffect(
    () =>
      subscribe(FLOW_RUN_LIVE, { id: runId }, {
        next: ({ flowRun }) => {
          if (flowRun.taskRuns.some((t) => t.taskSlug === slug)) refetch();
        },
      }),
    [runId, slug, refetch],
  );
  if (Number.isNaN(mapIndex)) return <NotFound what="task run" />;
  if (query.data) return <TaskRunBody detail={query.data.taskRun} slug={slug} mapIndex={mapIndex} onChanged={() => void query.refetch()} />;
  if (query.error instanceof ApiError && query.error.isNotFound) return <NotRunYet runId={runId} slug={slug} mapIndex={mapIndex} />;
  if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  return <div className="skeleton" style={{ height: 160 }} />;
}

function NotRunYet({ runId, slug, mapIndex }: { runId: string; slug: string; mapIndex: number }) {
  const label = mapIndex >= 0 ? `${slug}[${mapIndex}]` : slug;
  return (
    <>
      <PageHead crumbs={[{ label: "Flow run", to: flowRunUrl(runId) }]} title={<span className="mono" style={{ fontSize: 20 }}>{label}</span>} />
      <Card testId="not-run-yet">
        <EmptyState title="Not run yet">
          This task has no run in this flow run (yet): it appears here once the run reports it. <Link to={flowRunUrl(runId)}>Back to the run</Link>.
        </EmptyState>
      </Card>
    </>
  );
}

function TaskRunBody({ detail, slug, mapIndex, onChanged }: { detail: TaskRunDetail; slug: string; mapIndex: number; onChanged: () => void }) {
  const run = detail.flowRun;
  const task = detail.task;
  const [tab] = useSearchParam("tab");
  const now = useNow(1000);
  const isMappedParent = Boolean(task?.mapped) && mapIndex < 0;
  const active = tab === "logs" || (tab === "children" && isMappedParent) ? tab : "overview";
  const label = mapIndex >= 0 ? `${slug}[${mapIndex}]` : slug;
  const base = taskRunUrl(run.id, slug, mapIndex);
  // A mapped input from a mapped task feeds this child from the child of the same index.
  const mappedTasks = new Set(run.flow.tasks.filter((t) => t.mapped).map((t) => t.slug));
  const upstreamIndex = (edge: FlowEdge) => (edge.mapped && mapIndex >= 0 && mappedTasks.has(edge.upstream) ? mapIndex : -1);
  return (
    <>
      <PageHead
        crumbs={[
          { label: "Flows", to: "/flows" },
          { label: run.flowName, to: flowUrl(run.flowId) },
          { label: run.name, to: flowRunUrl(run.id) },
          ...(mapIndex >= 0 ? [{ label: slug, to: taskRunUrl(run.id, slug) }] : []),
        ]}
        title={<><span className="mono" style={{ fontSize: 20 }}>{label}</span><StateBadge state={detail.state} large /></>}
        subtitle={detail.stateMessage ?? task?.description ?? undefined}
        actions={<TaskRunActions detail={detail} slug={slug} label={label} onChanged={onChanged} />}
      />
      <Tabs active={active} hrefFor={(t) => (t === "overview" ? base : `${base}?tab=${t}`)}
        tabs={[{ id: "overview", label: "Overview" }, ...(isMappedParent ? [{ id: "children", label: "Mapped children" }] : []), { id: "logs", label: "Logs" }]} />
      {active === "overview" && (
        <TaskFailure flowRunId={run.id} taskSlug={slug} mapIndex={mapIndex >= 0 ? mapIndex : null} state={detail.state} message={detail.stateMessage} version={detail.version} />
      )}
      {active === "overview" && (
        <div className="grid grid-main">
          <Card title="State history" flush>
            <StateHistory states={detail.states} />
          </Card>
          <div className="stack">
            <Card title="Details">
              <dl className="kv">
                <dt>Started</dt><dd>{detail.startTime ? formatDateTime(detail.startTime) : "—"}</dd>
                <dt>Ended</dt><dd>{detail.endTime ? formatDateTime(detail.endTime) : "—"}</dd>
                <dt>Duration</dt><dd>{formatDuration(runDuration(detail.startTime, detail.endTime, now))}</dd>
                <dt>Attempts</dt><dd>{detail.runCount}{task ? ` (retries allowed: ${task.retries})` : ""}</dd>
                {task && <><dt>Trigger</dt><dd className="mono small">{task.trigger}</dd></>}
                {task && task.tags.length > 0 && <><dt>Tags</dt><dd className="row">{task.tags.map((t) => <span key={t} className="tag">{t}</span>)}</dd></>}
                {task?.timeout != null && <><dt>Timeout</dt><dd>{formatDuration(task.timeout * 1000)}</dd></>}
              </dl>
            </Card>
            <Card title="Inputs" hint="upstream tasks" testId="upstream">
              {detail.upstream.length === 0 ? (
                <p className="muted small" style={{ margin: 0 }}>No upstream task.</p>
              ) : (
                <ul className="list" style={{ margin: "0 -18px" }}>
                  {detail.upstream.map((edge) => (
                    <li key={`${edge.upstream}-${edge.key}`}>
                      <span className="mono small faint" style={{ minWidth: 70 }}>{edge.key ?? "(order)"}</span>
                      <Link className="grow mono" to={taskRunUrl(run.id, edge.upstream, upstreamIndex(edge))}>{edge.upstream}</Link>
                      {edge.mapped && <span className="tag">mapped</span>}
                    </li>
                  ))}
                </ul>
              )}
              {detail.downstream.length > 0 && (
                <p className="small muted" style={{ marginBottom: 0 }} data-testid="downstream">
                  Feeds {detail.downstream.map((e, i) => <span key={`${e.downstream}-${i}`}>{i > 0 && ", "}<Link to={taskRunUrl(run.id, e.downstream)} className="mono">{e.downstream}</Link></span>)}.
                </p>
              )}
            </Card>
          </div>
        </div>
      )}
      {active === "overview" && <TaskRunOutputs flowRunId={run.id} slug={slug} mapIndex={mapIndex} state={detail.state} />}
      {active === "children" && <MappedChildren runId={run.id} slug={slug} />}
      {active === "logs" && (
        <Card flush>
          <LogView flowRunId={run.id} taskSlug={slug} mapIndex={isMappedParent ? null : mapIndex} fileName={`${run.name}-${label}.log`} />
        </Card>
      )}
    </>
  );
}

/** A mapped task's children, streamed in as compact rows, 1,000 per request. */
function MappedChildren({ runId, slug }: { runId: string; slug: string }) {
  const [store] = useState(() => new Map<string, TaskRun>());
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ loading: boolean; error: unknown }>({ loading: true, error: null });
  const [attempt, setAttempt] = useState(0);
  const now = useNow(2000);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let after: string | null = null;
      try {
        for (;;) {
          const page: TaskChildrenQuery = await request(TASK_CHILDREN, { id: runId, taskSlug: slug, first: 1000, after });
          if (cancelled) return;
          for (const child of decodeRows(page.taskRun.children)) store.set(child.id, child);
          setVersion((v) => v + 1);
          const info = page.taskRun.children.pageInfo;
          if (!info.hasNextPage || !info.endCursor) break;
          after = info.endCursor;
        }
        if (!cancelled) setState({ loading: false, error: null });
      } catch (error) {
        if (!cancelled) setState({ loading: false, error });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [runId, slug, store, attempt]);
  const order = useMemo(() => [slug], [slug]);
  if (state.error && store.size === 0) return <ErrorMessage error={state.error} onRetry={() => setAttempt((a) => a + 1)} />;
  return (
    <Card flush title="Mapped children" hint={`${store.size.toLocaleString()} children${state.loading ? " · loading…" : ""}`}>
      <TaskRunTable runId={runId} runs={store} order={order} version={version} now={now} />
    </Card>
  );
}

// While these run, the flow run's process owns its task runs' states (the server refuses a mark).
const PROCESS_FAMILIES = new Set(["Submitted", "Running", "Cancelling"]);

/** Mark this task run by hand; restart its (finished) flow run from this task. */
function TaskRunActions({ detail, slug, label, onChanged }: { detail: TaskRunDetail; slug: string; label: string; onChanged: () => void }) {
  const can = useCan();
  if (!can.runFlows) return null;
  const run = detail.flowRun;
  return (
    <>
      <MarkAsButton target={{ kind: "task_run", id: detail.id, label, state: detail.state }} onDone={onChanged}
        disabledReason={PROCESS_FAMILIES.has(familyOf(run.state)) ? `The flow run is ${run.state}: its process sets its task runs' states. Mark or cancel the flow run, or wait until it ends.` : null} />
      {isFinished(run.state) && (
        <RestartFromButton runId={run.id} tasks={[slug]} label="Restart from here" onDone={() => navigate(flowRunUrl(run.id))} />
      )}
    </>
  );
}
