/**
 * A flow run's task runs as the page keeps them: a map by id, merged from paginated reads
 * and subscription messages in any order (a higher `version` wins, so a late page never
 * rolls a task back), and summarised per task for the schematic.
 */
import type { TaskRun, TaskRunRows, TaskSummaryEntry } from "../api/types";
import { isFinished, summarize, summarizeCounts } from "./states";

/** Merge `incoming` into `store`; returns how many entries changed. */
export function mergeTaskRuns(store: Map<string, TaskRun>, incoming: Iterable<TaskRun>): number {
  let changed = 0;
  for (const run of incoming) {
    const known = store.get(run.id);
    if (known && known.version > run.version) continue;
    if (known && known.version === run.version && known.state === run.state && known.endTime === run.endTime) continue;
    store.set(run.id, run);
    changed += 1;
  }
  return changed;
}

export interface TaskSummary {
  state: string;
  total: number;
  done: number;
}

/** Per task slug: its state (a mapped task's children summed up) and progress. */
export function summarizeBySlug(runs: Iterable<TaskRun>): Map<string, TaskSummary> {
  const parents = new Map<string, TaskRun>();
  const children = new Map<string, TaskRun[]>();
  for (const run of runs) {
    if (run.mapIndex < 0) parents.set(run.taskSlug, run);
    else {
      const list = children.get(run.taskSlug);
      if (list) list.push(run);
      else children.set(run.taskSlug, [run]);
    }
  }
  const out = new Map<string, TaskSummary>();
  for (const [slug, parent] of parents) out.set(slug, { state: parent.state, total: 1, done: isFinished(parent.state) ? 1 : 0 });
  for (const [slug, list] of children) {
    const summary = summarize(list.map((r) => r.state));
    const parent = parents.get(slug);
    const state = parent && (summary.overall === "Success" || parent.stateType === "Failed") ? parent.state : summary.overall;
    out.set(slug, { state, total: list.length, done: list.filter((r) => isFinished(r.state)).length });
  }
  return out;
}

/** Task runs in the table's order: by task slug, parent before its children by index. */
export function sortTaskRuns(runs: Iterable<TaskRun>, order?: string[]): TaskRun[] {
  const rank = new Map((order ?? []).map((slug, i) => [slug, i]));
  return [...runs].sort((a, b) => {
    const ra = rank.get(a.taskSlug) ?? Number.MAX_SAFE_INTEGER;
    const rb = rank.get(b.taskSlug) ?? Number.MAX_SAFE_INTEGER;
    return ra - rb || a.taskSlug.localeCompare(b.taskSlug) || a.mapIndex - b.mapIndex;
  });
}

/** Compact rows (`taskRunRows`: arrays in the order of `fields`) as task-run objects. */
export function decodeRows(page: TaskRunRows): TaskRun[] {
  const at = (name: string) => page.fields.indexOf(name);
  const index = {
    id: at("id"), taskSlug: at("taskSlug"), mapIndex: at("mapIndex"), state: at("state"), stateType: at("stateType"),
    stateMessage: at("stateMessage"), stateTimestamp: at("stateTimestamp"), version: at("version"), runCount: at("runCount"),
    startTime: at("startTime"), endTime: at("endTime"),
  };
  return page.rows.map((row) => ({
    id: String(row[index.id]),
    taskSlug: String(row[index.taskSlug]),
    mapIndex: Number(row[index.mapIndex]),
    state: String(row[index.state]),
    stateType: String(row[index.stateType]),
    stateMessage: (row[index.stateMessage] as string | null) ?? null,
    stateTimestamp: String(row[index.stateTimestamp]),
    version: Number(row[index.version]),
    runCount: Number(row[index.runCount]),
    startTime: (row[index.startTime] as string | null) ?? null,
    endTime: (row[index.endTime] as string | null) ?? null,
  }));
}

/** `summarizeBySlug` from the server's per-task summary (before task runs are loaded). */
export function summaryBySlug(summary: TaskSummaryEntry[]): Map<string, TaskSummary> {
  const out = new Map<string, TaskSummary>();
  for (const { taskSlug, parent, children } of summary) {
    if (!children || children.count === 0) {
      if (parent) out.set(taskSlug, { state: parent.state, total: 1, done: isFinished(parent.state) ? 1 : 0 });
      continue;
    }
    const { overall } = summarizeCounts(children.states);
    const state = parent && (overall === "Success" || parent.stateType === "Failed") ? parent.state : overall;
    let done = 0;
    for (const [name, count] of Object.entries(children.states)) if (isFinished(name)) done += count;
    out.set(taskSlug, { state, total: children.count, done });
  }
  return out;
}

/** How many task runs a summary stands for (parents and children). */
export function summaryTotal(summary: TaskSummaryEntry[]): number {
  return summary.reduce((n, entry) => n + (entry.parent ? 1 : 0) + (entry.children?.count ?? 0), 0);
}

/** The name a task run goes by on every page: its slug, with `[index]` for a mapped child. */
export function taskRunName(run: Pick<TaskRun, "taskSlug" | "mapIndex">): string {
  return run.mapIndex >= 0 ? `${run.taskSlug}[${run.mapIndex}]` : run.taskSlug;
}

/**
 * Whether a task run matches a search: its name as shown (so `enrich[137]` finds that one
 * child, and `enrich` every child) or its state message, case-insensitive.
 */
export function matchesTaskRunSearch(run: TaskRun, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return taskRunName(run).toLowerCase().includes(needle) || (run.stateMessage ?? "").toLowerCase().includes(needle);
}
