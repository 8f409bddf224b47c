/**
 * Gantt layout math: task runs -> rows (one per task; a mapped task's children grouped
 * under it, listed only when expanded), a time domain, and bar geometry and axis ticks.
 *
 * A group row spans from its first child's start to its last child's end and carries
 * how many children are in each state family, so 10,000 children cost one row until the
 * user opens the group. Pure functions: the component only places what this returns.
 */
import type { TaskRun, TaskSummaryEntry } from "../api/types";
import { familyOf, summarize, summarizeCounts, type Family } from "./states";
import { parseTime } from "./time";

export interface Segment {
  family: Family;
  count: number;
}

export interface GanttRow {
  key: string;
  slug: string;
  mapIndex: number;
  depth: 0 | 1;
  label: string;
  start: number | null;
  end: number | null;
  /** Still running: the bar grows to "now". */
  open: boolean;
  state: string;
  segments: Segment[];
  childCount: number;
  expanded: boolean;
  run: TaskRun | null;
}

export interface Domain {
  start: number;
  end: number;
}

function span(runs: TaskRun[], now: number): { start: number | null; end: number | null; open: boolean } {
  let start: number | null = null;
  let end: number | null = null;
  let open = false;
  for (const run of runs) {
    const s = parseTime(run.startTime);
    if (s == null) continue;
    const e = parseTime(run.endTime);
    const running = e == null && familyOf(run.state) === "Running";
    const finish = e ?? (running ? now : s);
    if (running) open = true;
    if (start == null || s < start) start = s;
    if (end == null || finish > end) end = finish;
  }
  return { start, end, open };
}

const FAMILY_ORDER: Family[] = ["Success", "Finished", "Failed", "Cancelled", "Cancelling", "Running", "Paused", "Submitted", "Scheduled", "Pending"];

function segmentsOf(counts: Map<Family, number>): Segment[] {
  return FAMILY_ORDER.filter((f) => counts.has(f)).map((family) => ({ family, count: counts.get(family)! }));
}

/** A mapped task's children in aggregate: what its collapsed row shows. */
export interface ChildAggregate {
  count: number;
  counts: Map<Family, number>;
  overall: Family;
  start: number | null;
  end: number | null;
  open: boolean;
}

/** One task node: its own run, its children's aggregate, and those children known. */
interface TaskGroup {
  parent: TaskRun | null;
  aggregate: ChildAggregate | null;
  children: TaskRun[];
}

export interface RowOptions {
  /** Task slugs in display order (e.g. topological); others follow by first start. */
  order?: string[];
  /** Slugs whose mapped children are listed. */
  expanded?: ReadonlySet<string>;
  now?: number;
  labels?: Record<string, string>;
}

function aggregateOf(children: TaskRun[], now: number): ChildAggregate | null {
  if (children.length === 0) return null;
  const summary = summarize(children.map((c) => c.state));
  return { count: children.length, counts: summary.counts, overall: summary.overall, ...span(children, now) };
}

/**
 * Rows in `order` (task slugs, e.g. topological); slugs with runs but not in `order` come
 * after, by first start. `expanded` holds the slugs whose mapped children are listed.
 */
export function buildRows(runs: Iterable<TaskRun>, options: RowOptions = {}): GanttRow[] {
  const now = options.now ?? Date.now();
  const groups = new Map<string, TaskGroup>();
  for (const run of runs) {
    let group = groups.get(run.taskSlug);
    if (!group) {
      group = { parent: null, aggregate: null, children: [] };
      groups.set(run.taskSlug, group);
    }
    if (run.mapIndex < 0) group.parent = run;
    else group.children.push(run);
  }
  for (const group of groups.values()) group.aggregate = aggregateOf(group.children, now);
  return layoutRows(groups, options, now);
}

/**
 * The same rows from the server's per-task summary (`taskRunSummary`), before the task
 * runs themselves are loaded: one aggregated row per mapped task costs nothing however
 * many children it has. `children` are whatever task runs are already known, listed
 * under expanded groups.
 */
export function buildSummaryRows(summary: TaskSummaryEntry[], options: RowOptions & { children?: Iterable<TaskRun> } = {}): GanttRow[] {
  const now = options.now ?? Date.now();
  const groups = new Map<string, TaskGroup>();
  for (const entry of summary) {
    const kids = entry.children;
    let aggregate: ChildAggregate | null = null;
    if (kids && kids.count > 0) {
      const { counts, overall } = summarizeCounts(kids.states);
      const open = (counts.get("Running") ?? 0) > 0;
      const start = parseTime(kids.start);
      const last = Math.max(parseTime(kids.end) ?? -Infinity, parseTime(kids.lastStart) ?? -Infinity);
      const end = open ? now : Number.isFinite(last) ? last : start;
      aggregate = { count: kids.count, counts, overall, start, end, open };
    }
    groups.set(entry.taskSlug, { parent: entry.parent, aggregate, children: [] });
  }
  for (const run of options.children ?? []) {
    if (run.mapIndex >= 0) groups.get(run.taskSlug)?.children.push(run);
  }
  return layoutRows(groups, options, now);
}

function groupSpan(group: TaskGroup, now: number): { start: number | null; end: number | null; open: boolean } {
  const own = span(group.parent ? [group.parent] : [], now);
  const kids = group.aggregate;
  if (!kids) return own;
  const start = own.start == null ? kids.start : kids.start == null ? own.start : Math.min(own.start, kids.start);
  const end = own.end == null ? kids.end : kids.end == null ? own.end : Math.max(own.end, kids.end);
  return { start, end, open: own.open || kids.open };
}

function layoutRows(groups: Map<string, TaskGroup>, options: RowOptions, now: number): GanttRow[] {
  const expanded = options.expanded ?? new Set<string>();
  const ordered: string[] = [];
  const seen = new Set<string>();
  for (const slug of options.order ?? []) {
    if (groups.has(slug) && !seen.has(slug)) {
      ordered.push(slug);
      seen.add(slug);
    }
  }
  const rest = [...groups.keys()].filter((slug) => !seen.has(slug));
  const firstStart = new Map(rest.map((slug) => [slug, groupSpan(groups.get(slug)!, now).start ?? Infinity]));
  rest.sort((a, b) => firstStart.get(a)! - firstStart.get(b)! || a.localeCompare(b));
  ordered.push(...rest);

  const rows: GanttRow[] = [];
  for (const slug of ordered) {
    const { parent, aggregate, children } = groups.get(slug)!;
    const label = options.labels?.[slug] ?? slug;
    if (!aggregate) {
      rows.push({
        key: slug,
        slug,
        mapIndex: -1,
        depth: 0,
        label,
        ...span(parent ? [parent] : [], now),
        state: parent?.state ?? "Pending",
        segments: parent ? [{ family: familyOf(parent.state), count: 1 }] : [],
        childCount: 0,
        expanded: false,
        run: parent,
      });
      continue;
    }
    const isOpen = expanded.has(slug);
    rows.push({
      key: slug,
      slug,
      mapIndex: -1,
      depth: 0,
      label,
      ...groupSpan({ parent, aggregate, children }, now),
      state: parent && familyOf(parent.state) === "Failed" ? parent.state : aggregate.overall,
      segments: segmentsOf(aggregate.counts),
      childCount: aggregate.count,
      expanded: isOpen,
      run: parent,
    });
    if (isOpen) {
      const sorted = [...children].sort((a, b) => a.mapIndex - b.mapIndex);
      for (const child of sorted) {
        rows.push({
          key: `${slug}[${child.mapIndex}]`,
          slug,
          mapIndex: child.mapIndex,
          depth: 1,
          label: `${label}[${child.mapIndex}]`,
          ...span([child], now),
          state: child.state,
          segments: [{ family: familyOf(child.state), count: 1 }],
          childCount: 0,
          expanded: false,
          run: child,
        });
      }
    }
  }
  return rows;
}

/** The time window the chart shows: every started row, with a little air at the end. */
export function domainOf(rows: GanttRow[], fallback: Domain): Domain {
  let start = Infinity;
  let end = -Infinity;
  for (const row of rows) {
    if (row.start != null && row.start < start) start = row.start;
    if (row.end != null && row.end > end) end = row.end;
  }
  if (!Number.isFinite(start)) return fallback;
  if (!Number.isFinite(end) || end <= start) end = start + 1000;
  return { start, end: end + (end - start) * 0.02 };
}

/** Left offset and width (px) of a row's bar; at least `minWidth` so short tasks show. */
export function barGeometry(row: Pick<GanttRow, "start" | "end">, domain: Domain, width: number, minWidth = 3): { left: number; width: number } | null {
  if (row.start == null) return null;
  const total = Math.max(1, domain.end - domain.start);
  const left = ((row.start - domain.start) / total) * width;
  const right = (((row.end ?? row.start) - domain.start) / total) * width;
  const clampedLeft = Math.min(Math.max(0, left), Math.max(0, width - minWidth));
  return { left: clampedLeft, width: Math.max(minWidth, Math.min(width - clampedLeft, right - left)) };
}

const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Axis ticks: a round step giving at most `max` ticks, at multiples of the step. */
export function ticks(domain: Domain, max = 8): { step: number; values: number[] } {
  const length = Math.max(1, domain.end - domain.start);
  const step = STEPS.find((s) => length / s <= max) ?? Math.ceil(length / max / 86_400_000) * 86_400_000;
  const values: number[] = [];
  const origin = domain.start;
  for (let t = 0; t <= length + 1e-9; t += step) values.push(origin + t);
  return { step, values };
}

/** Tick label relative to the start: "0s", "1m 30s", "250ms". */
export function tickLabel(offset: number, step: number): string {
  if (step < 1000) return `${Math.round(offset)}ms`;
  const seconds = Math.round(offset / 1000);
  if (step < 60_000) return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
  const minutes = Math.round(offset / 60_000);
  if (step < 3_600_000) return minutes < 60 ? `${minutes}m` : `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.round(offset / 3_600_000)}h`;
}
