/**
 * The Runs page: runs of every flow of the team, filtered, searched, sorted and paged
 * (all in the URL), with the timeline above and bulk actions on a selection.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { RUN_FEED } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import { RUNS_PAGE, RUNS_PAGE_COUNT } from "../api/runsDocuments";
import { useCan } from "../api/session";
import type { FlowRun } from "../api/types";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { Card, PageHead } from "../components/Page";
import { Pager } from "../components/Pager";
import { BulkBar } from "../components/RunBulk";
import { RunsFilters } from "../components/RunsFilters";
import { RunsTimeline } from "../components/RunsTimeline";
import { StateBadge } from "../components/State";
import { Link, navigate, useLocation } from "../lib/router";
import { nextSort, parseSort, readRunsQuery, withParams, type SortKey } from "../lib/runsQuery";
import { formatDateTime, formatDuration, formatRelative, runDuration } from "../lib/time";
import { zoomOf } from "../lib/timeline";
import { flowRunUrl, flowUrl } from "../routes";
import "../styles/runs.css";

export default function Runs() {
  const { pathname, search } = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const { variables, cursors, states } = useMemo(() => readRunsQuery(search), [search]);
  const set = useCallback((updates: Record<string, string | null>, push = false) => {
    navigate(pathname + withParams(window.location.search, updates), { replace: !push });
  }, [pathname]);
  const now = useNow(15_000);
  const query = useQuery(RUNS_PAGE, variables);
  const countVariables = useMemo(() => {
    const { orderBy: _order, first: _first, after: _after, ...filters } = variables;
    return filters;
  }, [variables]);
  const counted = useQuery(RUNS_PAGE_COUNT, countVariables);
  const refetch = useThrottled(() => {
    void query.refetch();
    void counted.refetch();
  }, 2000);
  useEffect(() => subscribe(RUN_FEED, {}, { next: refetch }), [refetch]);
  const can = useCan();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => setSelected(new Set()), [search]);
  const timelineFilters = useMemo(
    () => ({ states, flowName: params.get("flow"), project: params.get("project") }),
    [states, params],
  );

  const page = query.data?.flowRuns;
  const names = new Map((page?.nodes ?? []).map((r) => [r.id, r.name]));
  const filtered = [...params.keys()].some((k) => k !== "sort" && k !== "p" && k !== "zoom");

  return (
    <>
      <PageHead title="Runs" subtitle="Runs of every flow: filter, sort, and act on several at once." />
      <Card title="Timeline" hint="runs that started in the window, by flow">
        <RunsTimeline zoom={zoomOf(params.get("zoom"))} onZoom={(z) => set({ zoom: z.id === "24h" ? null : z.id })} filters={timelineFilters} />
      </Card>
      <RunsFilters params={params} set={set} />
      <Loaded query={query}>
        {({ flowRuns: runs }) => (
          <Card flush>
            {can.runFlows && (
              <BulkBar selected={[...selected]} names={names} onDone={() => { setSelected(new Set()); refetch(); }} onClear={() => setSelected(new Set())} />
            )}
            {runs.nodes.length === 0 ? (
              <EmptyState title={filtered ? "No run matches" : "No runs yet"}>
                {filtered ? "Try other filters, or clear them." : "Runs of every flow appear here once they are created."}
              </EmptyState>
            ) : (
              <RunsTable runs={runs.nodes} now={now} sort={params.get("sort")} onSort={(key) => set({ sort: nextSort(params.get("sort"), key) }, true)}
                selectable={can.runFlows} selected={selected} onSelect={setSelected} />
            )}
            <Pager count={counted.data?.flowRuns.totalCount ?? null} page={cursors.length + 1} hasNext={runs.pageInfo.hasNextPage}
              onPrevious={() => set({ p: cursors.slice(0, -1).join(",") || null }, true)}
              onNext={() => set({ p: [...cursors, runs.pageInfo.endCursor ?? ""].join(",") }, true)} />
          </Card>
        )}
      </Loaded>
    </>
  );
}

const COLUMNS: { key: SortKey | null; label: string; num?: boolean }[] = [
  { key: "name", label: "Run" },
  { key: null, label: "Flow" },
  { key: "state", label: "State" },
  { key: "scheduled", label: "Scheduled" },
  { key: "started", label: "Started" },
  { key: "ended", label: "Ended" },
  { key: "duration", label: "Duration", num: true },
];

function RunsTable({ runs, now, sort, onSort, selectable, selected, onSelect }: {
  runs: FlowRun[]; now: number; sort: string | null; onSort: (key: SortKey) => void;
  selectable: boolean; selected: Set<string>; onSelect: (next: Set<string>) => void;
}) {
  const current = parseSort(sort);
  const all = runs.length > 0 && runs.every((r) => selected.has(r.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  return (
    <table className="table runs-table" data-testid="all-runs-table">
      <thead>
        <tr>
          {selectable && (
            <th className="pick">
              <input type="checkbox" aria-label="Select every run on this page" checked={all} onChange={() => onSelect(all ? new Set() : new Set(runs.map((r) => r.id)))} data-testid="select-page" />
            </th>
          )}
          {COLUMNS.map(({ key, label, num }) => {
            const active = key != null && current.key === key;
            return (
              <th key={label} className={`${num ? "num " : ""}${key ? "sortable" : ""}`} aria-sort={active ? (current.descending ? "descending" : "ascending") : undefined}>
                {key ? <button type="button" onClick={() => onSort(key)} data-testid={`sort-${key}`}>{label}{active ? (current.descending ? " ↓" : " ↑") : ""}</button> : label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-testid="run-row" data-run={run.name}>
            {selectable && (
              <td className="pick"><input type="checkbox" aria-label={`Select ${run.name}`} checked={selected.has(run.id)} onChange={() => toggle(run.id)} /></td>
            )}
            <td><Link to={flowRunUrl(run.id)} className="mono">{run.name}</Link></td>
            <td><Link to={flowUrl(run.flowId)}>{run.flowName}</Link></td>
            <td><StateBadge state={run.state} title={run.stateMessage ?? undefined} /></td>
            <td className="muted nowrap" title={formatDateTime(run.scheduledStartTime)}>{formatRelative(run.scheduledStartTime, now)}</td>
            <td className="muted nowrap">{run.startTime ? formatDateTime(run.startTime) : "—"}</td>
            <td className="muted nowrap">{run.endTime ? formatDateTime(run.endTime) : "—"}</td>
            <td className="num">{formatDuration(runDuration(run.startTime, run.endTime, now))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
