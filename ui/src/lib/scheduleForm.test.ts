import { describe, expect, it } from "vitest";
import { clockInput, EMPTY_CLOCK, formOf, parseDefaults } from "./scheduleForm";

const SCHEMA = {
  type: "object",
  properties: { n: { type: "integer", default: 3 }, day: { type: "string" }, mode: { enum: ["a", "b"] } },
  required: ["day"],
};

describe("parseDefaults", () => {
  it("accepts values of the parameters' types", () => {
    expect(parseDefaults('{"n": 4, "day": "mon", "mode": "b"}', SCHEMA)).toEqual({ value: { n: 4, day: "mon", mode: "b" } });
  });
  it("names what is wrong", () => {
    expect(parseDefaults("{n: 4}", SCHEMA)).toEqual({ error: expect.stringContaining("must be JSON") });
    expect(parseDefaults("[1]", SCHEMA)).toEqual({ error: expect.stringContaining("JSON object") });
    expect(parseDefaults('{"m": 1, "day": "x"}', SCHEMA)).toEqual({ error: expect.stringContaining('Unknown parameter "m"') });
    expect(parseDefaults('{"n": 1.5, "day": "x"}', SCHEMA)).toEqual({ error: expect.stringContaining('"n" must be') });
    expect(parseDefaults('{"day": "x", "mode": "c"}', SCHEMA)).toEqual({ error: expect.stringContaining('"mode"') });
    expect(parseDefaults('{"n": 2}', SCHEMA)).toEqual({ error: expect.stringContaining('"day" is required') });
  });
});

describe("clockInput", () => {
  it("sends only the chosen kind's field, times in UTC", () => {
    const input = clockInput({ ...EMPTY_CLOCK, kind: "interval", interval: "600", start: "2030-01-01T00:30", timezone: " " }, { n: 1 });
    expect(input).toEqual({
      kind: "interval", intervalSeconds: 600, cron: null, dayOr: true, rrule: null, timezone: "UTC",
      startDate: "2030-01-01T00:30:00.000Z", endDate: null, parameterDefaults: { n: 1 }, labels: [],
    });
  });
  it("round-trips a saved clock", () => {
    const form = formOf({
      index: 0, kind: "cron", intervalSeconds: null, cron: "0 0 13 * FRI", dayOr: false, rrule: null,
      timezone: "Europe/Berlin", startDate: null, endDate: null, parameterDefaults: { n: 2 }, labels: ["eu", "gpu"],
    });
    // What the form does not show is kept: labels and the cron's day-of-month AND day-of-week.
    expect(clockInput(form, { n: 2 })).toMatchObject({ kind: "cron", cron: "0 0 13 * FRI", dayOr: false, timezone: "Europe/Berlin", labels: ["eu", "gpu"] });
    expect(form.defaults).toBe('{"n":2}');
  });
});
