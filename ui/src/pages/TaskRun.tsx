import { useEffect, useMemo, useState } from "react";
import { FLOW, FLOW_RUN_LIVE, TASK_RUN_DETAIL, TASK_RUNS } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import type { Connection, Flow, FlowRun, StateRecord, TaskRun } from "../api/types";
import { EmptyState } from "../components/Empty";
import { Loaded, NotFound } from "../components/ErrorView";
import { LogView } from "../components/LogView";
import { Card, PageHead, Tabs } from "../components/Page";
import { StateBadge } from "../components/State";
import { TaskRunTable } from "../components/TaskRunTable";
import { Link, useSearchParam } from "../lib/router";
import { formatDateTime, formatDuration, runDuration } from "../lib/time";
import { flowRunUrl, flowUrl, taskRunUrl } from "../routes";
import { StateHistory } from "./FlowRun";

type Detail = { flowRun: FlowRun; taskRuns: Connection<TaskRun & { states: StateRecord[] }> };

export default function TaskRunPage({ params }: { params: Record<string, string> }) {
  const runId = params.id;
  const slug = params.slug;
  const mapIndex = params.index != null ? Number(params.index) : -1;
  const query = useQuery<Detail>(TASK_RUN_DETAIL, { flowRunId: runId, taskSlug: slug, mapIndex });
  const refetch = useThrottled(() => void query.refetch(), 500);
  useEffect(
    () =>
      subscribe<{ flowRun: { taskRuns: TaskRun[] } }>(FLOW_RUN_LIVE, { id: runId }, {
        next: ({ flowRun }) => {
          if (flowRun.taskRuns.some((t) => t.taskSlug === slug)) refetch();
        },
      }),
    [runId, slug, refetch],
  );
  if (Number.isNaN(mapIndex)) return <NotFound what="task run" />;
  return (
    <Loaded query={query}>
      {(data) => <TaskRunBody data={data} slug={slug} mapIndex={mapIndex} />}
    </Loaded>
  );
}

function TaskRunBody({ data, slug, mapIndex }: { data: Detail; slug: string; mapIndex: number }) {
  const run = data.flowRun;
  const taskRun = data.taskRuns.nodes[0];
  const flowQuery = useQuery<{ flow: Flow }>(FLOW, { id: run.flowId });
  const flow = flowQuery.data?.flow;
  const task = flow?.tasks.find((t) => t.slug === slug);
  const [tab] = useSearchParam("tab");
  const now = useNow(1000);
  const isMappedParent = Boolean(task?.mapped) && mapIndex < 0;
  const active = tab === "logs" || tab === "children" ? tab : "overview";
  const label = mapIndex >= 0 ? `${slug}[${mapIndex}]` : slug;
  const upstream = useMemo(() => (flow ? flow.edges.filter((e) => e.downstream === slug) : []), [flow, slug]);
  const downstream = useMemo(() => (flow ? flow.edges.filter((e) => e.upstream === slug) : []), [flow, slug]);
  const base = taskRunUrl(run.id, slug, mapIndex);
  return (
    <>
      <PageHead
        crumbs={[
          { label: "Flows", to: "/flows" },
          { label: run.flowName, to: flowUrl(run.flowId) },
          { label: run.name, to: flowRunUrl(run.id) },
          ...(mapIndex >= 0 ? [{ label: slug, to: taskRunUrl(run.id, slug) }] : []),
        ]}
        title={<><span className="mono" style={{ fontSize: 20 }}>{label}</span>{taskRun && <StateBadge state={taskRun.state} large />}</>}
        subtitle={taskRun?.stateMessage ?? task?.description ?? undefined}
      />
      <Tabs active={active} hrefFor={(t) => (t === "overview" ? base : `${base}?tab=${t}`)}
        tabs={[{ id: "overview", label: "Overview" }, ...(isMappedParent ? [{ id: "children", label: "Mapped children" }] : []), { id: "logs", label: "Logs" }]} />
      {active === "overview" && (
        <div className="grid grid-main">
          <Card title="State history" flush>
            {taskRun ? <StateHistory states={taskRun.states} /> : <EmptyState title="Not run yet">This task has no run in this flow run yet.</EmptyState>}
          </Card>
          <div className="stack">
            <Card title="Details">
              <dl className="kv">
                <dt>Started</dt><dd>{taskRun?.startTime ? formatDateTime(taskRun.startTime) : "—"}</dd>
                <dt>Ended</dt><dd>{taskRun?.endTime ? formatDateTime(taskRun.endTime) : "—"}</dd>
                <dt>Duration</dt><dd>{formatDuration(runDuration(taskRun?.startTime, taskRun?.endTime, now))}</dd>
                <dt>Attempts</dt><dd>{taskRun?.runCount ?? 0}{task ? ` (retries allowed: ${task.retries})` : ""}</dd>
                {task && <><dt>Trigger</dt><dd className="mono small">{task.trigger}</dd></>}
                {task && task.tags.length > 0 && <><dt>Tags</dt><dd className="row">{task.tags.map((t) => <span key={t} className="tag">{t}</span>)}</dd></>}
                {task?.timeout != null && <><dt>Timeout</dt><dd>{formatDuration(task.timeout * 1000)}</dd></>}
              </dl>
            </Card>
            <Card title="Inputs" hint="upstream tasks" testId="upstream">
              {upstream.length === 0 ? (
                <p className="muted small" style={{ margin: 0 }}>No upstream task.</p>
              ) : (
                <ul className="list" style={{ margin: "0 -18px" }}>
                  {upstream.map((edge) => (
                    <li key={`${edge.upstream}-${edge.key}`}>
                      <span className="mono small faint" style={{ minWidth: 70 }}>{edge.key ?? "(order)"}</span>
                      <Link className="grow mono" to={taskRunUrl(run.id, edge.upstream, edge.mapped && mapIndex >= 0 && flow?.tasks.find((t) => t.slug === edge.upstream)?.mapped ? mapIndex : -1)}>
                        {edge.upstream}
                      </Link>
                      {edge.mapped && <span className="tag">mapped</span>}
                    </li>
                  ))}
                </ul>
              )}
              {downstream.length > 0 && (
                <p className="small muted" style={{ marginBottom: 0 }}>
                  Feeds {downstream.map((e, i) => <span key={`${e.downstream}-${i}`}>{i > 0 && ", "}<Link to={taskRunUrl(run.id, e.downstream)} className="mono">{e.downstream}</Link></span>)}.
                </p>
              )}
            </Card>
          </div>
        </div>
      )}
      {active === "children" && <MappedChildren runId={run.id} slug={slug} />}
      {active === "logs" && (
        <Card flush>
          <LogView flowRunId={run.id} taskSlug={slug} mapIndex={isMappedParent ? null : mapIndex} fileName={`${run.name}-${label}.log`} />
        </Card>
      )}
    </>
  );
}

function MappedChildren({ runId, slug }: { runId: string; slug: string }) {
  const [store] = useState(() => new Map<string, TaskRun>());
  const [version, setVersion] = useState(0);
  const [after, setAfter] = useState<string | null>(null);
  const page = useQuery<{ taskRuns: Connection<TaskRun> }>(TASK_RUNS, { flowRunId: runId, taskSlug: slug, first: 1000, after });
  const now = useNow(2000);
  useEffect(() => {
    if (!page.data) return;
    for (const r of page.data.taskRuns.nodes) if (r.mapIndex >= 0) store.set(r.id, r);
    setVersion((v) => v + 1);
    const info = page.data.taskRuns.pageInfo;
    if (info.hasNextPage && info.endCursor && info.endCursor !== after) setAfter(info.endCursor);
  }, [page.data, store, after]);
  const order = useMemo(() => [slug], [slug]);
  return (
    <Card flush title="Mapped children" hint={page.data?.taskRuns.totalCount != null ? `${store.size.toLocaleString()} children` : undefined}>
      <Loaded query={page}>{() => <TaskRunTable runId={runId} runs={store} order={order} version={version} now={now} />}</Loaded>
    </Card>
  );
}
