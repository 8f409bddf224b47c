/**
 * Two runs side by side (`/compare?a=RUN&b=RUN`), from one `compareFlowRuns` query:
 * parameters, then per task its state, duration and result location in each run (a
 * mapped task as counts per state), with what differs highlighted. Tasks that are the
 * same can be hidden, so a big flow shows its differences first.
 */
import { useState } from "react";
import { useQuery } from "../api/hooks";
import { COMPARE_FLOW_RUNS, type Comparison, type TaskPair, type TaskSide } from "../api/steeringDocuments";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { Card, PageHead } from "../components/Page";
import { StateBadge } from "../components/State";
import { Link, useSearchParam } from "../lib/router";
import { formatDateTime, formatDuration } from "../lib/time";
import { flowRunUrl, flowUrl, taskRunUrl } from "../routes";
import "../styles/steering.css";

const DIFFERENCES: Record<string, string> = {
  state: "state",
  duration: "duration",
  result: "result",
  children: "mapped children",
  missing: "only in one run",
};

export default function ComparePage() {
  const [a] = useSearchParam("a");
  const [b] = useSearchParam("b");
  if (!a || !b) {
    return (
      <>
        <PageHead title="Compare runs" />
        <Card>
          <EmptyState title="Pick two runs">Open a run and use “Compare with…”, or open <code>/compare?a=RUN_ID&amp;b=RUN_ID</code>.</EmptyState>
        </Card>
      </>
    );
  }
  return <Compared a={a} b={b} />;
}

function Compared({ a, b }: { a: string; b: string }) {
  const query = useQuery(COMPARE_FLOW_RUNS, { a, b });
  const [all, setAll] = useState(false);
  return (
    <Loaded query={query}>
      {({ compareFlowRuns: found }) => {
        const shown = all ? found.tasks : found.tasks.filter((t) => t.differences.length);
        return (
          <>
            <PageHead
              crumbs={[{ label: "Flows", to: "/flows" }, { label: found.a.flowName, to: flowUrl(found.a.flowId) }]}
              title="Compare runs"
              subtitle={`${found.differingTasks} of ${found.tasks.length} tasks differ${found.sameFlow ? (found.sameVersion ? "" : " · different versions of the flow") : " · runs of different flows"}`}
            />
            <div className="grid grid-2" style={{ marginBottom: 18 }}>
              <RunCard side="A" run={found.a} />
              <RunCard side="B" run={found.b} />
            </div>
            <Card title="Parameters" flush>
              {found.parameters.length === 0 ? (
                <div className="empty">Neither run has parameters.</div>
              ) : (
                <table className="table" data-testid="compare-parameters">
                  <thead><tr><th>Name</th><th>A</th><th>B</th></tr></thead>
                  <tbody>
                    {found.parameters.map((p) => (
                      <tr key={p.name} className={p.differs ? "differs" : undefined} data-testid="compare-parameter" data-differs={p.differs}>
                        <td className="mono">{p.name}</td>
                        <td><code>{p.inA ? JSON.stringify(p.a) : "—"}</code></td>
                        <td><code>{p.inB ? JSON.stringify(p.b) : "—"}</code></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
            <div style={{ height: 18 }} />
            <Card title="Tasks" flush hint={all ? "every task" : "only tasks that differ"}
              actions={
                <label className="checkbox small">
                  <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="compare-show-all" /> Show tasks that are the same
                </label>
              }>
              {shown.length === 0 ? (
                <div className="empty" data-testid="compare-no-differences">No task differs{found.tasks.length ? " (tick the box to see them all)" : ""}.</div>
              ) : (
                <table className="table" data-testid="compare-tasks">
                  <thead><tr><th>Task</th><th>A</th><th>B</th><th>Differs in</th></tr></thead>
                  <tbody>
                    {shown.map((t) => <TaskRow key={t.taskSlug} pair={t} a={found.a.id} b={found.b.id} />)}
                  </tbody>
                </table>
              )}
            </Card>
          </>
        );
      }}
    </Loaded>
  );
}

function RunCard({ side, run }: { side: string; run: Comparison["a"] }) {
  return (
    <div className="card" style={{ padding: 16 }} data-testid={`compare-run-${side.toLowerCase()}`}>
      <div className="row" style={{ gap: 8 }}>
        <strong>{side}</strong>
        <Link to={flowRunUrl(run.id)} className="mono">{run.name}</Link>
        <StateBadge state={run.state} />
      </div>
      <div className="small muted" style={{ marginTop: 6 }}>
        {run.flowName} · scheduled {formatDateTime(run.scheduledStartTime)}
        {run.startTime && run.endTime ? ` · took ${formatDuration(Date.parse(run.endTime) - Date.parse(run.startTime))}` : ""}
      </div>
    </div>
  );
}

function TaskRow({ pair, a, b }: { pair: TaskPair; a: string; b: string }) {
  const differs = new Set(pair.differences);
  return (
    <tr className={pair.differences.length ? "differs" : undefined} data-testid="compare-task" data-slug={pair.taskSlug} data-differences={pair.differences.join(",")}>
      <td className="mono">{pair.taskSlug}{pair.mapped && <span className="faint small"> mapped</span>}</td>
      <td><Side side={pair.a} runId={a} slug={pair.taskSlug} differs={differs} /></td>
      <td><Side side={pair.b} runId={b} slug={pair.taskSlug} differs={differs} /></td>
      <td className="small">{pair.differences.map((d) => DIFFERENCES[d] ?? d).join(", ") || <span className="faint">same</span>}</td>
    </tr>
  );
}

function Side({ side, runId, slug, differs }: { side: TaskSide | null; runId: string; slug: string; differs: Set<string> }) {
  if (!side) return <span className="faint">not run</span>;
  const mark = (key: string) => (differs.has(key) ? "diff" : undefined);
  return (
    <div className="stack" style={{ gap: 2 }}>
      <div className={mark("state")}>
        {side.state ? <Link to={taskRunUrl(runId, slug)}><StateBadge state={side.state} /></Link> : <span className="faint">—</span>}
      </div>
      {side.childCount > 0 && (
        <div className={`small ${mark("children") ?? ""}`} data-testid="compare-children">
          {side.children.map((c) => `${c.count.toLocaleString()} ${c.state}`).join(" · ")}
        </div>
      )}
      <div className={`small muted ${mark("duration") ?? ""}`}>{side.durationSeconds == null ? "no duration" : formatDuration(side.durationSeconds * 1000)}</div>
      {side.resultLocation && (
        <div className={`small mono ellipsis ${mark("result") ?? ""}`} style={{ maxWidth: 320 }} title={side.resultLocation}>{side.resultLocation}</div>
      )}
    </div>
  );
}
