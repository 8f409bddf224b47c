/**
 * Gantt layout math: task runs -> rows (one per task; a mapped task's children grouped
 * under it, listed only when expanded), a time domain, and bar geometry and axis ticks.
 *
 * A group row spans from its first child's start to its last child's end and carries
 * how many children are in each state family, so 10,000 children cost one row until the
 * user opens the group. Pure functions: the component only places what this returns.
 */
import type { TaskRun } from "../api/types";
import { familyOf, summarize, type Family } from "./states";
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

/**
 * Rows in `order` (task slugs, e.g. topological); slugs with runs but not in `order` come
 * after, by first start. `expanded` holds the slugs whose mapped children are listed.
 */
export function buildRows(
  runs: Iterable<TaskRun>,
  options: { order?: string[]; expanded?: ReadonlySet<string>; now?: number; labels?: Record<string, string> } = {},
): GanttRow[] {
  const now = options.now ?? Date.now();
  const expanded = options.expanded ?? new Set<string>();
  const bySlug = new Map<string, { parent: TaskRun | null; children: TaskRun[] }>();
  for (const run of runs) {
    let entry = bySlug.get(run.taskSlug);
    if (!entry) {
      entry = { parent: null, children: [] };
      bySlug.set(run.taskSlug, entry);
    }
    if (run.mapIndex < 0) entry.parent = run;
    else entry.children.push(run);
  }
  const ordered: string[] = [];
  const seen = new Set<string>();
  for (const slug of options.order ?? []) {
    if (bySlug.has(slug) && !seen.has(slug)) {
      ordered.push(slug);
      seen.add(slug);
    }
  }
  const rest = [...bySlug.keys()].filter((slug) => !seen.has(slug));
  rest.sort((a, b) => {
    const sa = span(allRuns(bySlug.get(a)!), now).start ?? Infinity;
    const sb = span(allRuns(bySlug.get(b)!), now).start ?? Infinity;
    return sa - sb || a.localeCompare(b);
  });
  ordered.push(...rest);

  const rows: GanttRow[] = [];
  for (const slug of ordered) {
    const { parent, children } = bySlug.get(slug)!;
    const label = options.labels?.[slug] ?? slug;
    if (children.length === 0) {
      const s = span(parent ? [parent] : [], now);
      rows.push({
        key: slug,
        slug,
        mapIndex: -1,
        depth: 0,
        label,
        ...s,
        state: parent?.state ?? "Pending",
        segments: parent ? [{ family: familyOf(parent.state), count: 1 }] : [],
        childCount: 0,
        expanded: false,
        run: parent,
      });
      continue;
    }
    const summary = summarize(children.map((c) => c.state));
    const s = span(parent ? [parent, ...children] : children, now);
    const isOpen = expanded.has(slug);
    rows.push({
      key: slug,
      slug,
      mapIndex: -1,
      depth: 0,
      label,
      ...s,
      state: parent && familyOf(parent.state) === "Failed" ? parent.state : summary.overall,
      segments: segmentsOf(summary.counts),
      childCount: children.length,
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

function allRuns(entry: { parent: TaskRun | null; children: TaskRun[] }): TaskRun[] {
  return entry.parent ? [entry.parent, ...entry.children] : entry.children;
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
