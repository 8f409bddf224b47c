/** A flow's schedule (the JSON `Schedule.serialize()` gives) in words. */
import type { JsonObject, JsonValue } from "../api/types";

function obj(value: JsonValue | undefined): JsonObject | null {
  return value && typeof value === "object" && !Array.isArray(value) ? value : null;
}

function every(seconds: number): string {
  const units: [number, string][] = [[86_400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return n === 1 ? `every ${name}` : `every ${n} ${name}s`;
    }
  }
  return `every ${seconds} seconds`;
}

function intervalSeconds(value: JsonValue | undefined): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
    const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
    if (match) return (+(match[1] ?? 0)) * 86400 + (+(match[2] ?? 0)) * 3600 + (+(match[3] ?? 0)) * 60 + (+(match[4] ?? 0));
  }
  const o = obj(value);
  if (o && typeof o.seconds === "number") return o.seconds;
  return null;
}

/** One line per clock ("cron 30 6 * * * (Europe/Berlin)", "every 10 minutes"), plus filters. */
export function describeSchedule(schedule: JsonObject | null | undefined): { clocks: string[]; filters: string[] } {
  if (!schedule) return { clocks: [], filters: [] };
  const clocks: string[] = [];
  for (const raw of Array.isArray(schedule.clocks) ? schedule.clocks : []) {
    const clock = obj(raw);
    if (!clock) continue;
    const tz = typeof clock.timezone === "string" && clock.timezone ? ` (${clock.timezone})` : "";
    const type = String(clock.type ?? "");
    if (type === "CronClock") clocks.push(`cron ${String(clock.cron)}${tz}`);
    else if (type === "IntervalClock") {
      const seconds = intervalSeconds(clock.interval);
      clocks.push(seconds ? every(seconds) + tz : `interval clock${tz}`);
    } else if (type === "RRuleClock") clocks.push(`rrule ${String(clock.rrule ?? "")}${tz}`);
    else if (type === "DatesClock") clocks.push(`on ${(Array.isArray(clock.dates) ? clock.dates.length : 0)} fixed dates`);
    else clocks.push(type || "clock");
  }
  const filters: string[] = [];
  for (const key of ["filters", "or_filters", "not_filters", "adjustments"]) {
    for (const raw of Array.isArray(schedule[key]) ? (schedule[key] as JsonValue[]) : []) {
      const f = obj(raw);
      if (!f) continue;
      const prefix = key === "not_filters" ? "not " : key === "or_filters" ? "or " : "";
      filters.push(prefix + String(f.type ?? "filter").replaceAll("_", " "));
    }
  }
  return { clocks, filters };
}
