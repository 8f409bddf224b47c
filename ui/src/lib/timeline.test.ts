import { describe, expect, it } from "vitest";
import { clockTicks, layoutTimeline, stepZoom, zoomOf, ZOOMS } from "./timeline";

const T = Date.UTC(2026, 2, 1, 12, 0);
const iso = (minutes: number) => new Date(T + minutes * 60_000).toISOString();
const run = (id: string, flowName: string, start: number | null, end: number | null, state = "Success") => ({
  id, name: id, flowName, state, startTime: start == null ? null : iso(start), endTime: end == null ? null : iso(end),
});

describe("layoutTimeline", () => {
  const window = { start: T, end: T + 60 * 60_000 };

  it("keeps runs overlapping the window, grouped by flow, packing runs that do not overlap into one lane", () => {
    const layout = layoutTimeline(
      [
        run("a1", "etl", 0, 10),
        run("a2", "etl", 5, 20), // overlaps a1: second lane
        run("a3", "etl", 30, 40), // after both: first lane again
        run("b1", "backup", -30, 5, "Failed"), // began before the window, ends in it
        run("old", "etl", -120, -60), // ended before the window
        run("late", "etl", 90, 100), // starts after it
        run("never", "etl", null, null, "Scheduled"),
      ],
      window,
      T + 60 * 60_000,
    );
    expect(layout.groups).toEqual([
      { flowName: "backup", firstRow: 0, rows: 1 },
      { flowName: "etl", firstRow: 1, rows: 2 },
    ]);
    const rows = Object.fromEntries(layout.bars.map((b) => [b.id, b.row]));
    expect(rows).toEqual({ b1: 0, a1: 1, a2: 2, a3: 1 });
    expect(layout.bars.find((b) => b.id === "b1")?.family).toBe("Failed");
  });

  it("draws a running run up to now, and caps the bars at the earliest starts", () => {
    const now = T + 45 * 60_000;
    const layout = layoutTimeline([run("r", "etl", 30, null, "Running")], window, now);
    expect(layout.bars[0]).toMatchObject({ open: true, end: now, family: "Running" });
    const many = Array.from({ length: 50 }, (_, i) => run(`r${String(i).padStart(2, "0")}`, "etl", i, i + 0.5));
    const capped = layoutTimeline(many, window, now, 10);
    expect(capped.bars.map((b) => b.id)).toEqual(many.slice(0, 10).map((r) => r.id));
  });
});

describe("zoom and axis", () => {
  it("steps from a day to an hour and stops at both ends", () => {
    expect(ZOOMS[0].id).toBe("24h");
    expect(ZOOMS[ZOOMS.length - 1].id).toBe("1h");
    expect(stepZoom(zoomOf("24h"), -1).id).toBe("12h");
    expect(stepZoom(zoomOf("1h"), -1).id).toBe("1h");
    expect(stepZoom(zoomOf("24h"), 1).id).toBe("24h");
    expect(stepZoom(zoomOf("3h"), 1).id).toBe("6h");
    expect(zoomOf("nonsense").id).toBe("24h");
  });

  it("puts ticks on whole clock times", () => {
    const ticks = clockTicks({ start: T + 7 * 60_000, end: T + 67 * 60_000 });
    expect(ticks[0]).toBe(T + 10 * 60_000);
    expect(ticks.every((t) => t % (10 * 60_000) === 0)).toBe(true);
    expect(clockTicks({ start: T, end: T + 24 * 3_600_000 }).length).toBeLessThanOrEqual(9);
  });
});
