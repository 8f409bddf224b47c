import { describe, expect, it } from "vitest";
import type { TaskRun, TaskSummaryEntry } from "../api/types";
import { barGeometry, buildRows, buildSummaryRows, domainOf, tickLabel, ticks, type GanttRow } from "./gantt";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

let n = 0;
function run(slug: string, mapIndex: number, state: string, start: number | null, end: number | null): TaskRun {
  n += 1;
  return {
    id: `id${n}`,
    taskSlug: slug,
    mapIndex,
    state,
    stateType: state,
    stateMessage: null,
    stateTimestamp: at(end ?? start ?? 0),
    version: 1,
    runCount: 1,
    startTime: start == null ? null : at(start),
    endTime: end == null ? null : at(end),
  };
}

describe("buildRows", () => {
  const runs = [
    run("load", -1, "Pending", null, null),
    run("extract", -1, "Mapped", 1, 2),
    run("extract", 0, "Success", 2, 4),
    run("extract", 1, "Failed", 3, 9),
    run("extract", 2, "Running", 5, null),
    run("fetch", -1, "Success", 0, 1),
  ];

  it("puts one row per task in the given order, unknown tasks after by start", () => {
    const rows = buildRows(runs, { order: ["fetch", "extract"], now: T0 + 10_000 });
    expect(rows.map((r) => r.slug)).toEqual(["fetch", "extract", "load"]);
  });

  it("groups mapped children: span, counts per state, overall state", () => {
    const [, group] = buildRows(runs, { order: ["fetch", "extract"], now: T0 + 10_000 });
    expect(group.childCount).toBe(3);
    expect(group.start).toBe(T0 + 1000);
    expect(group.end).toBe(T0 + 10_000); // the running child grows to now
    expect(group.open).toBe(true);
    expect(group.state).toBe("Failed");
    expect(group.segments).toEqual([
      { family: "Success", count: 1 },
      { family: "Failed", count: 1 },
      { family: "Running", count: 1 },
    ]);
    expect(group.expanded).toBe(false);
  });

  it("lists children by index under an expanded group", () => {
    const rows = buildRows(runs, { order: ["fetch", "extract"], expanded: new Set(["extract"]), now: T0 + 10_000 });
    expect(rows.map((r) => r.label)).toEqual(["fetch", "extract", "extract[0]", "extract[1]", "extract[2]", "load"]);
    expect(rows[2]).toMatchObject({ depth: 1, mapIndex: 0, state: "Success", start: T0 + 2000, end: T0 + 4000 });
  });

  it("leaves not-started tasks without a bar", () => {
    const rows = buildRows(runs, { now: T0 });
    const load = rows.find((r) => r.slug === "load")!;
    expect(load.start).toBeNull();
    expect(barGeometry(load, { start: T0, end: T0 + 1000 }, 100)).toBeNull();
  });

  it("uses a summed-up state while children are still going", () => {
    const rows = buildRows([run("m", 0, "Success", 0, 1), run("m", 1, "Running", 0, null)], { now: T0 + 5000 });
    expect(rows[0].state).toBe("Running");
  });

  // How fast it is belongs to benchmarks/ui.py (a timed assertion fails on a busy machine).
  it("aggregates 10,000 children into one row", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => run("big", i, i % 10 ? "Success" : "Failed", i / 100, i / 100 + 1));
    const rows = buildRows(many, { now: T0 + 200_000 });
    expect(rows).toHaveLength(1);
    expect(rows[0].segments).toEqual([
      { family: "Success", count: 9000 },
      { family: "Failed", count: 1000 },
    ]);
  });
});

describe("domain, bars and ticks", () => {
  it("spans every started row with a little air", () => {
    const rows = buildRows([run("a", -1, "Success", 0, 10), run("b", -1, "Success", 5, 20)], { now: T0 });
    const domain = domainOf(rows, { start: 0, end: 1 });
    expect(domain.start).toBe(T0);
    expect(domain.end).toBe(T0 + 20_000 + 400);
    expect(domainOf([], { start: 1, end: 2 })).toEqual({ start: 1, end: 2 });
  });

  it("places bars proportionally, with a minimum width", () => {
    const domain = { start: 0, end: 1000 };
    expect(barGeometry({ start: 250, end: 750 }, domain, 400)).toEqual({ left: 100, width: 200 });
    expect(barGeometry({ start: 500, end: 500 }, domain, 400)).toEqual({ left: 200, width: 3 });
    expect(barGeometry({ start: 1000, end: 1000 }, domain, 400)).toEqual({ left: 397, width: 3 });
  });

  it("picks round tick steps", () => {
    expect(ticks({ start: 0, end: 60_000 }, 8)).toEqual({ step: 10_000, values: [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000] });
    expect(ticks({ start: 0, end: 900 }, 5).step).toBe(200);
    expect(ticks({ start: 0, end: 3 * 3_600_000 }, 6).step).toBe(1_800_000);
    expect(tickLabel(90_000, 30_000)).toBe("1m 30s");
    expect(tickLabel(250, 50)).toBe("250ms");
    expect(tickLabel(5400_000, 1_800_000)).toBe("1h 30m");
    expect(tickLabel(7_200_000, 3_600_000)).toBe("2h");
  });
});

describe("buildSummaryRows", () => {
  const summary: TaskSummaryEntry[] = [
    { taskSlug: "extract", parent: run("extract", -1, "Mapped", 1, 2), children: { count: 10_000, states: { Success: 9_990, Failed: 4, Running: 6 }, start: at(2), lastStart: at(8), end: at(9) } },
    { taskSlug: "fetch", parent: run("fetch", -1, "Success", 0, 1), children: null },
    { taskSlug: "load", parent: null, children: { count: 2, states: { Success: 2 }, start: at(10), lastStart: at(11), end: at(12) } },
  ];

  it("draws one aggregated row per mapped task from the counts, without the children", () => {
    const rows = buildSummaryRows(summary, { order: ["fetch", "extract", "load"], now: T0 + 20_000 });
    expect(rows.map((r) => r.slug)).toEqual(["fetch", "extract", "load"]);
    const extract = rows[1];
    expect(extract.childCount).toBe(10_000);
    expect(extract.state).toBe("Failed");
    expect(extract.segments).toEqual([
      { family: "Success", count: 9_990 },
      { family: "Failed", count: 4 },
      { family: "Running", count: 6 },
    ]);
    expect(extract).toMatchObject({ start: T0 + 1000, end: T0 + 20_000, open: true });
    expect(rows[2]).toMatchObject({ state: "Success", start: T0 + 10_000, end: T0 + 12_000, open: false });
  });

  it("gives the same rows as the task runs themselves", () => {
    const runs = [run("a", -1, "Mapped", 0, 5), run("a", 0, "Success", 1, 3), run("a", 1, "Success", 2, 5), run("b", -1, "Running", 5, null)];
    const fromRuns = buildRows(runs, { now: T0 + 9000 });
    const fromSummary = buildSummaryRows(
      [
        { taskSlug: "a", parent: runs[0], children: { count: 2, states: { Success: 2 }, start: at(1), lastStart: at(2), end: at(5) } },
        { taskSlug: "b", parent: runs[3], children: null },
      ],
      { now: T0 + 9000 },
    );
    const strip = (rows: GanttRow[]) => rows.map(({ slug, start, end, open, state, segments, childCount }) => ({ slug, start, end, open, state, segments, childCount }));
    expect(strip(fromSummary)).toEqual(strip(fromRuns));
  });

  it("lists the children already loaded under an expanded group", () => {
    const children = [run("load", 1, "Success", 11, 12), run("load", 0, "Success", 10, 11), run("other", 0, "Success", 1, 2)];
    const rows = buildSummaryRows(summary, { order: ["load"], expanded: new Set(["load"]), now: T0, children });
    expect(rows.filter((r) => r.depth === 1).map((r) => r.label)).toEqual(["load[0]", "load[1]"]);
  });
});
