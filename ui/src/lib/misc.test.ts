import { describe, expect, it } from "vitest";
import type { LogLine, TaskRun } from "../api/types";
import { agentHealth, healthOf } from "./agents";
import { fillBuckets, niceMax, successRate } from "./charts";
import { layoutGraph, topologicalOrder } from "./graph";
import { filterLogs, formatLogFile, logSource, splitMatches } from "./logs";
import { describeSchedule } from "./schedule";
import { decodeRows, matchesTaskRunSearch, mergeTaskRuns, sortTaskRuns, summarizeBySlug, summaryBySlug, summaryTotal, taskRunName } from "./taskRuns";
import { formatDuration, formatRelative, runDuration } from "./time";

describe("time", () => {
  it("formats durations compactly", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(450)).toBe("450ms");
    expect(formatDuration(2_345)).toBe("2.3s");
    expect(formatDuration(42_000)).toBe("42s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe("2h 03m");
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3d 4h");
  });

  it("says how long ago, or in how long", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatRelative("2026-01-01T11:59:58Z", now)).toBe("just now");
    expect(formatRelative("2026-01-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(formatRelative("2026-01-01T13:00:00Z", now)).toBe("in 1 hour");
    expect(formatRelative("2025-12-30T12:00:00Z", now)).toBe("2 days ago");
    expect(formatRelative(null, now)).toBe("—");
  });

  it("measures a run until now while it runs", () => {
    const now = Date.parse("2026-01-01T12:00:10Z");
    expect(runDuration("2026-01-01T12:00:00Z", null, now)).toBe(10_000);
    expect(runDuration("2026-01-01T12:00:00Z", "2026-01-01T12:00:04Z", now)).toBe(4_000);
    expect(runDuration(null, null, now)).toBeNull();
  });
});

describe("charts", () => {
  it("fills empty buckets and folds states into families", () => {
    const since = Date.parse("2026-01-01T00:00:00Z");
    const buckets = fillBuckets(
      [
        { bucketStart: "2026-01-01T01:00:00Z", state: "Success", count: 3 },
        { bucketStart: "2026-01-01T01:00:00Z", state: "Failed", count: 1 },
        { bucketStart: "2026-01-01T02:00:00Z", state: "Running", count: 2 },
        { bucketStart: "2025-12-31T00:00:00Z", state: "Success", count: 9 },
      ],
      since,
      3_600_000,
      3,
    );
    expect(buckets.map((b) => b.total)).toEqual([0, 4, 2]);
    expect(buckets[1].counts).toEqual({ Success: 3, Failed: 1 });
    expect(successRate(buckets)).toBe(0.75);
    expect(successRate([])).toBeNull();
  });

  it("rounds axis maxima", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(13)).toBe(20);
    expect(niceMax(230)).toBe(250);
  });
});

describe("agents", () => {
  it("grades heartbeats", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(agentHealth("2026-01-01T11:59:30Z", now)).toBe("healthy");
    expect(agentHealth("2026-01-01T11:57:00Z", now)).toBe("late");
    expect(agentHealth("2026-01-01T11:00:00Z", now)).toBe("unhealthy");
    expect(agentHealth(null, now)).toBe("unhealthy");
    // The server's judgement wins over the heartbeat's age.
    expect(healthOf({ health: "LATE", lastHeartbeat: "2026-01-01T11:59:59Z" }, now)).toBe("late");
    expect(healthOf({ health: null, lastHeartbeat: "2026-01-01T11:59:59Z" }, now)).toBe("healthy");
  });
});

describe("schedule", () => {
  it("describes clocks and filters", () => {
    expect(describeSchedule({ clocks: [{ type: "CronClock", cron: "30 6 * * *", timezone: "Europe/Berlin" }], filters: [{ type: "is_weekday" }] })).toEqual({
      clocks: ["cron 30 6 * * * (Europe/Berlin)"],
      filters: ["is weekday"],
    });
    expect(describeSchedule({ clocks: [{ type: "IntervalClock", interval: 3600, timezone: "UTC" }] }).clocks).toEqual(["every hour (UTC)"]);
    expect(describeSchedule({ clocks: [{ type: "IntervalClock", interval: "PT10M" }] }).clocks).toEqual(["every 10 minutes"]);
    expect(describeSchedule({ clocks: [{ type: "IntervalClock", interval: 90 }] }).clocks).toEqual(["every 90 seconds"]);
    expect(describeSchedule(null)).toEqual({ clocks: [], filters: [] });
  });
});

describe("graph", () => {
  const tasks = [{ slug: "load" }, { slug: "extract" }, { slug: "transform" }, { slug: "param" }];
  const edges = [
    { upstream: "extract", downstream: "transform", key: "x", mapped: true, flatten: false },
    { upstream: "transform", downstream: "load", key: "y", mapped: false, flatten: false },
    { upstream: "param", downstream: "extract", key: "p", mapped: false, flatten: false },
  ];

  it("orders tasks upstream first", () => {
    expect(topologicalOrder(tasks, edges)).toEqual(["param", "extract", "transform", "load"]);
    expect(topologicalOrder([{ slug: "a" }, { slug: "b" }], [{ upstream: "a", downstream: "b" }, { upstream: "b", downstream: "a" }])).toEqual(["a", "b"]);
  });

  it("lays the graph out left to right without overlaps", async () => {
    const layout = await layoutGraph(tasks, edges);
    const x = (slug: string) => layout.nodes.get(slug)!.x;
    expect(x("param")).toBeLessThan(x("extract"));
    expect(x("extract")).toBeLessThan(x("transform"));
    expect(x("transform")).toBeLessThan(x("load"));
    expect(layout.edges).toHaveLength(3);
    expect(layout.edges[0].points.length).toBeGreaterThanOrEqual(2);
  });
});

let id = 0;
const tr = (slug: string, mapIndex: number, state: string, version = 1): TaskRun => ({
  id: `${slug}-${mapIndex}`,
  taskSlug: slug,
  mapIndex,
  state,
  stateType: state,
  stateMessage: null,
  stateTimestamp: `2026-01-01T00:00:0${(id += 1) % 10}Z`,
  version,
  runCount: 1,
  startTime: null,
  endTime: null,
});

describe("task runs", () => {
  it("merges by version: a stale page never rolls a task back", () => {
    const store = new Map<string, TaskRun>();
    expect(mergeTaskRuns(store, [tr("a", -1, "Running", 2)])).toBe(1);
    expect(mergeTaskRuns(store, [tr("a", -1, "Pending", 1)])).toBe(0);
    expect(store.get("a--1")!.state).toBe("Running");
    expect(mergeTaskRuns(store, [tr("a", -1, "Running", 2)])).toBe(0);
    expect(mergeTaskRuns(store, [tr("a", -1, "Success", 3)])).toBe(1);
  });

  it("summarises per task, mapped children included", () => {
    const summary = summarizeBySlug([tr("m", -1, "Mapped"), tr("m", 0, "Success"), tr("m", 1, "Running"), tr("p", -1, "Success")]);
    expect(summary.get("m")).toEqual({ state: "Running", total: 2, done: 1 });
    expect(summary.get("p")).toEqual({ state: "Success", total: 1, done: 1 });
    const done = summarizeBySlug([tr("m", -1, "Mapped"), tr("m", 0, "Success")]);
    expect(done.get("m")!.state).toBe("Mapped");
  });

  it("summarises the server's per-task summary the same way", () => {
    const fromRuns = summarizeBySlug([tr("m", -1, "Mapped"), tr("m", 0, "Success"), tr("m", 1, "Running"), tr("p", -1, "Success")]);
    const fromSummary = summaryBySlug([
      { taskSlug: "m", parent: tr("m", -1, "Mapped"), children: { count: 2, states: { Success: 1, Running: 1 }, start: null, lastStart: null, end: null } },
      { taskSlug: "p", parent: tr("p", -1, "Success"), children: null },
    ]);
    expect(fromSummary).toEqual(fromRuns);
    expect(summaryTotal([{ taskSlug: "m", parent: tr("m", -1, "Mapped"), children: { count: 9, states: { Success: 9 }, start: null, lastStart: null, end: null } }])).toBe(10);
  });

  it("decodes compact rows by their field names", () => {
    const [run] = decodeRows({
      fields: ["taskSlug", "id", "mapIndex", "state", "stateType", "stateMessage", "stateTimestamp", "version", "runCount", "startTime", "endTime"],
      rows: [["work", "r1", 7, "Retrying", "Scheduled", "again", "2026-01-01T00:00:00+00:00", 3, 2, "2026-01-01T00:00:00+00:00", null]],
      pageInfo: { endCursor: null, hasNextPage: false },
    });
    expect(run).toEqual({
      id: "r1", taskSlug: "work", mapIndex: 7, state: "Retrying", stateType: "Scheduled", stateMessage: "again",
      stateTimestamp: "2026-01-01T00:00:00+00:00", version: 3, runCount: 2, startTime: "2026-01-01T00:00:00+00:00", endTime: null,
    });
  });

  it("sorts by graph order then map index", () => {
    const sorted = sortTaskRuns([tr("b", 1, "Success"), tr("a", -1, "Success"), tr("b", 0, "Success"), tr("b", -1, "Mapped")], ["a", "b"]);
    expect(sorted.map((r) => r.id)).toEqual(["a--1", "b--1", "b-0", "b-1"]);
  });
});

describe("logs", () => {
  const line = (i: number, level: number, message: string, taskSlug: string | null = null, mapIndex: number | null = null): LogLine => ({
    id: String(i),
    taskSlug,
    mapIndex,
    timestamp: "2026-01-01T00:00:00Z",
    level,
    levelName: { 10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR" }[level] ?? "INFO",
    message,
    name: null,
  });
  const lines = [line(1, 10, "debug detail"), line(2, 20, "Loaded 5 rows", "load"), line(3, 40, "boom", "extract", 2), line(4, 30, "slow", "extract", 1)];

  it("filters by level, search and task", () => {
    expect(filterLogs(lines, {})).toBe(lines);
    expect(filterLogs(lines, { levelMin: 30 }).map((l) => l.id)).toEqual(["3", "4"]);
    expect(filterLogs(lines, { search: "ROWS" }).map((l) => l.id)).toEqual(["2"]);
    expect(filterLogs(lines, { search: "extract" }).map((l) => l.id)).toEqual(["3", "4"]);
    expect(filterLogs(lines, { taskSlug: "extract", mapIndex: 2 }).map((l) => l.id)).toEqual(["3"]);
    expect(filterLogs(lines, { taskSlug: "extract" }).map((l) => l.id)).toEqual(["3", "4"]);
    expect(filterLogs(lines, { taskSlug: "load", mapIndex: -1 }).map((l) => l.id)).toEqual(["2"]);
  });

  it("splits text around matches for highlighting", () => {
    expect(splitMatches("a Boom b boom", "boom")).toEqual([
      { text: "a ", match: false },
      { text: "Boom", match: true },
      { text: " b ", match: false },
      { text: "boom", match: true },
    ]);
    expect(splitMatches("abc", " ")).toEqual([{ text: "abc", match: false }]);
  });

  it("downloads as plain text lines", () => {
    expect(logSource(lines[2])).toBe("extract[2]");
    expect(logSource(lines[0])).toBe("flow");
    expect(formatLogFile(lines.slice(2, 3))).toBe("2026-01-01T00:00:00Z ERROR    extract[2]: boom\n");
    expect(formatLogFile([])).toBe("");
  });
});

describe("task run search", () => {
  const run = (taskSlug: string, mapIndex: number, stateMessage: string | null = null): TaskRun => ({
    id: `${taskSlug}-${mapIndex}`, taskSlug, mapIndex, state: "Failed", stateType: "FAILED", stateMessage,
    stateTimestamp: "2026-01-01T00:00:00Z", version: 1, runCount: 1, startTime: null, endTime: null,
  });
  const runs = [run("enrich", -1), run("enrich", 13), run("enrich", 137, "ValueError: no id"), run("enrich", 1370), run("load", -1)];
  const found = (search: string) => runs.filter((r) => matchesTaskRunSearch(r, search)).map(taskRunName);

  it("finds one mapped child by its name with the index", () => {
    expect(found("enrich[137]")).toEqual(["enrich[137]"]);
    expect(found("  ENRICH[13] ")).toEqual(["enrich[13]"]);
  });
  it("finds a task with all its children by slug, and runs by message", () => {
    expect(found("enrich")).toEqual(["enrich", "enrich[13]", "enrich[137]", "enrich[1370]"]);
    expect(found("valueerror")).toEqual(["enrich[137]"]);
    expect(found("")).toHaveLength(runs.length);
  });
});
