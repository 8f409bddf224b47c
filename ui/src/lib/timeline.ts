/**
 * The runs timeline's layout, apart from drawing: which runs show in a window, how they
 * are grouped by flow and packed into lanes (runs of a flow that do not overlap share a
 * lane), and the axis. Pure functions, tested alone.
 */
import { familyOf, type Family } from "./states";
import { parseTime } from "./time";

export interface Zoom {
  id: string;
  label: string;
  ms: number;
}

const HOUR = 3_600_000;

/** From a day to an hour; the wheel steps through them. */
export const ZOOMS: Zoom[] = [
  { id: "24h", label: "Day", ms: 24 * HOUR },
  { id: "12h", label: "12 h", ms: 12 * HOUR },
  { id: "6h", label: "6 h", ms: 6 * HOUR },
  { id: "3h", label: "3 h", ms: 3 * HOUR },
  { id: "1h", label: "Hour", ms: HOUR },
];

export const DEFAULT_ZOOM = ZOOMS[0];

export function zoomOf(id: string | null | undefined): Zoom {
  return ZOOMS.find((z) => z.id === id) ?? DEFAULT_ZOOM;
}

/** The next zoom in (`direction` < 0) or out (> 0), staying within a day and an hour. */
export function stepZoom(current: Zoom, direction: number): Zoom {
  const index = ZOOMS.findIndex((z) => z.id === current.id);
  const next = Math.min(ZOOMS.length - 1, Math.max(0, index + (direction < 0 ? 1 : -1)));
  return ZOOMS[next];
}

export interface TimelineInput {
  id: string;
  name: string;
  flowName: string;
  state: string;
  startTime: string | null;
  endTime: string | null;
}

export interface Bar {
  id: string;
  name: string;
  flowName: string;
  state: string;
  family: Family;
  start: number;
  end: number;
  open: boolean; // still running: drawn up to now
  row: number;
}

export interface Group {
  flowName: string;
  firstRow: number;
  rows: number;
}

export interface Layout {
  bars: Bar[];
  groups: Group[];
  rows: number;
}

/**
 * Bars of the runs that overlap `[start, end]` (at most `cap`, earliest starts first),
 * grouped by flow name and packed into lanes. A run without an end runs until `now`.
 */
export function layoutTimeline(runs: TimelineInput[], window: { start: number; end: number }, now: number, cap = 1000): Layout {
  const visible: Omit<Bar, "row">[] = [];
  for (const run of runs) {
    const start = parseTime(run.startTime);
    if (start == null) continue;
    const ended = parseTime(run.endTime);
    const end = Math.max(start, ended ?? now);
    if (end < window.start || start > window.end) continue;
    visible.push({ id: run.id, name: run.name, flowName: run.flowName, state: run.state, family: familyOf(run.state), start, end, open: ended == null });
  }
  visible.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  const kept = visible.slice(0, cap);
  const byFlow = new Map<string, Omit<Bar, "row">[]>();
  for (const bar of kept) {
    const list = byFlow.get(bar.flowName) ?? [];
    list.push(bar);
    byFlow.set(bar.flowName, list);
  }
  // Two bars closer than this share no lane, so each stays visible as its own.
  const gap = (window.end - window.start) / 400;
  const bars: Bar[] = [];
  const groups: Group[] = [];
  let row = 0;
  for (const flowName of [...byFlow.keys()].sort((a, b) => a.localeCompare(b))) {
    const laneEnds: number[] = [];
    for (const bar of byFlow.get(flowName) ?? []) {
      let lane = laneEnds.findIndex((end) => end + gap <= bar.start);
      if (lane < 0) {
        lane = laneEnds.length;
        laneEnds.push(bar.end);
      } else {
        laneEnds[lane] = bar.end;
      }
      bars.push({ ...bar, row: row + lane });
    }
    groups.push({ flowName, firstRow: row, rows: laneEnds.length });
    row += laneEnds.length;
  }
  return { bars, groups, rows: row };
}

const TICK_STEPS = [5, 10, 15, 30, 60, 120, 180, 360].map((m) => m * 60_000);

/** Axis ticks on whole clock times (every 5 minutes up to every 6 hours). */
export function clockTicks(window: { start: number; end: number }, max = 8): number[] {
  const span = Math.max(1, window.end - window.start);
  const step = TICK_STEPS.find((s) => span / s <= max) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const values: number[] = [];
  for (let t = Math.ceil(window.start / step) * step; t <= window.end; t += step) values.push(t);
  return values;
}
