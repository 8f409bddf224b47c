import { useEffect, useMemo, useState } from "react";
import { request } from "../api/client";
import { FLOWS, lastRunsQuery, PROJECTS, RUN_FEED, SET_SCHEDULE_ACTIVE } from "../api/documents";
import { useQuery, useThrottled } from "../api/hooks";
import { useCan } from "../api/session";
import { subscribe } from "../api/live";
import type { FlowSummary } from "../api/types";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { toast } from "../components/Feedback";
import { IconFlows, IconSearch } from "../components/icons";
import { Card, PageHead } from "../components/Page";
import { QuickRunButton } from "../components/QuickRun";
import { RunDots } from "../components/Runs";
import { Link, useSearchParam } from "../lib/router";
import { describeSchedule } from "../lib/schedule";
import { formatRelative } from "../lib/time";
import { flowUrl } from "../routes";

const PAGE = 50;

export default function Flows() {
  const [q, setQ] = useSearchParam("q");
  const [project, setProject] = useSearchParam("project");
  // Archived flows (and older versions) are hidden unless asked for.
  const [archived, setArchived] = useSearchParam("archived");
  const [text, setText] = useState(q ?? "");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((q ?? "") !== text) {
        setQ(text || null);
        setCursors([null]);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [text, q, setQ]);

  const projects = useQuery(PROJECTS);
  const vars = useMemo(() => ({ search: q || null, project: project || null, first: PAGE, after: cursors[cursors.length - 1], includeArchived: archived === "1" }), [q, project, cursors, archived]);
  const flows = useQuery(FLOWS, vars);
  const groupIds = flows.data?.flows.nodes.map((f) => f.flowGroupId) ?? [];
  // Past runs only: read as of now, and as of the moment of each burst of run events.
  const [asOf, setAsOf] = useState(() => new Date().toISOString());
  const lastRuns = useQuery(lastRunsQuery(groupIds, 10), { asOf }, { skip: groupIds.length === 0 });
  const refetchRuns = useThrottled(() => setAsOf(new Date().toISOString()), 2000);
  useEffect(() => subscribe(RUN_FEED, {}, { next: refetchRuns }), [refetchRuns]);

  const can = useCan();
  const toggle = async (flow: FlowSummary, active: boolean) => {
    try {
      await request(SET_SCHEDULE_ACTIVE, { flowId: flow.id, active });
      toast(`Schedule of ${flow.name} turned ${active ? "on" : "off"}`);
      await flows.refetch();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    }
  };

  return (
    <>
      <PageHead title="Flows" subtitle="Every registered flow, its latest version and its recent runs." />
      <div className="row" style={{ marginBottom: 14 }}>
        <label className="search">
          <IconSearch size={16} />
          <span className="sr-only">Search flows</span>
          <input className="input" type="search" placeholder="Search flows…" value={text} onChange={(e) => setText(e.target.value)} data-testid="flow-search" />
        </label>
        <select className="select" aria-label="Project" value={project ?? ""} onChange={(e) => { setProject(e.target.value || null); setCursors([null]); }} data-testid="project-filter">
          <option value="">All projects</option>
          {projects.data?.projects.map((p) => <option key={p.id} value={p.name}>{p.name}</option>)}
        </select>
        <label className="row small muted" style={{ gap: 6 }}>
          <input type="checkbox" checked={archived === "1"} onChange={(e) => { setArchived(e.target.checked ? "1" : null); setCursors([null]); }} data-testid="show-archived" />
          Show archived
        </label>
        <span className="spacer" />
        {flows.data && <span className="muted small">{(flows.data.flows.totalCount ?? 0).toLocaleString()} flows</span>}
      </div>
      <Loaded query={flows}>
        {({ flows: page }) =>
          page.nodes.length === 0 ? (
            <Card>
              {q || project ? (
                <EmptyState title="No flow matches">Try another search or project.</EmptyState>
              ) : (
                <EmptyState icon={<IconFlows />} title="No flows yet" commands={["proctor register flows.py"]}>
                  Register the flows defined in a Python file; they appear here with their schedule and runs.
                </EmptyState>
              )}
            </Card>
          ) : (
            <Card flush>
              <table className="table" data-testid="flows-table">
                <thead>
                  <tr><th>Flow</th><th>Project</th><th>Last runs</th><th>Schedule</th><th>Registered</th>{can.runFlows && <th aria-label="Quick run" />}</tr>
                </thead>
                <tbody>
                  {page.nodes.map((flow, i) => {
                    const schedule = describeSchedule(flow.schedule);
                    return (
                      <tr key={flow.id} data-testid={`flow-row-${flow.name}`}>
                        <td>
                          <Link to={flowUrl(flow.id)} style={{ fontWeight: 600 }}>{flow.name}</Link>
                          <span className="faint small"> v{flow.version}</span>
                          {flow.archived && <span className="tag" data-testid="archived-tag" style={{ marginLeft: 6 }}>archived</span>}
                          {flow.description && <div className="small muted ellipsis" style={{ maxWidth: 380 }}>{flow.description}</div>}
                        </td>
                        <td className="muted">{flow.projectName}</td>
                        <td><RunDots runs={lastRuns.data?.[`f${i}`]?.nodes ?? []} /></td>
                        <td>
                          {schedule.clocks.length ? (
                            <div className="row" style={{ flexWrap: "nowrap" }}>
                              {can.editFlows ? (
                                <button type="button" role="switch" className="toggle" aria-checked={flow.scheduleActive}
                                  aria-label={`Schedule of ${flow.name}`} onClick={() => void toggle(flow, !flow.scheduleActive)} data-testid="schedule-toggle" />
                              ) : (
                                <span className="tag" data-testid="schedule-state">{flow.scheduleActive ? "on" : "off"}</span>
                              )}
                              <span className="small muted ellipsis" style={{ maxWidth: 200 }} title={schedule.clocks.join("; ")}>{schedule.clocks[0]}</span>
                            </div>
                          ) : (
                            <span className="faint small">none</span>
                          )}
                        </td>
                        <td className="muted small nowrap">{formatRelative(flow.created)}</td>
                        {can.runFlows && <td className="nowrap"><QuickRunButton flowId={flow.id} flowName={flow.name} small /></td>}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {(cursors.length > 1 || page.pageInfo.hasNextPage) && (
                <div className="toolbar" style={{ justifyContent: "flex-end", borderTop: "1px solid var(--border)" }}>
                  <button type="button" className="btn btn-sm" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
                  <button type="button" className="btn btn-sm" disabled={!page.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, page.pageInfo.endCursor])}>Next</button>
                </div>
              )}
            </Card>
          )
        }
      </Loaded>
    </>
  );
}
