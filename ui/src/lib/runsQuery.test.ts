import { describe, expect, it } from "vitest";
import { localToIso, nextSort, parseSort, readRunsQuery, withParams } from "./runsQuery";

describe("the Runs page's URL", () => {
  it("reads filters, sort and page into the query's variables", () => {
    const { variables, cursors, states } = readRunsQuery("?state=Failed,Running&flow=etl&project=p&label=gpu,eu&q=abc&sort=-duration&p=c1,c2");
    expect(states).toEqual(["Failed", "Running"]);
    expect(cursors).toEqual(["c1", "c2"]);
    expect(variables).toMatchObject({
      states: ["Failed", "Running"], flowName: "etl", project: "p", labels: ["gpu", "eu"], search: "abc",
      orderBy: "DURATION_DESC", after: "c2", first: 50, agentId: null, scheduledAfter: null,
    });
    expect(readRunsQuery("").variables).toMatchObject({ states: null, orderBy: "SCHEDULED_START_TIME_DESC", after: null });
  });

  it("goes back to page one when a filter changes, not when only the page does", () => {
    expect(withParams("?state=Failed&p=c1", { flow: "etl" })).toBe("?state=Failed&flow=etl");
    expect(withParams("?state=Failed&p=c1", { p: "c1,c2" })).toBe("?state=Failed&p=c1%2Cc2");
    expect(withParams("?state=Failed", { state: null })).toBe("");
    expect(withParams("?zoom=1h&p=c1", { zoom: "6h" })).toBe("?zoom=6h&p=c1");
  });

  it("sorts a column one way, then the other", () => {
    expect(parseSort(null)).toEqual({ key: "scheduled", descending: true });
    expect(parseSort("bogus")).toEqual({ key: "scheduled", descending: true });
    expect(nextSort(null, "scheduled")).toBe("scheduled");
    expect(nextSort("scheduled", "scheduled")).toBe("-scheduled");
    expect(nextSort(null, "name")).toBe("name");
    expect(nextSort("name", "ended")).toBe("-ended");
  });

  it("reads datetime-local values as local times", () => {
    expect(localToIso("2026-03-01T12:30")).toBe(new Date(2026, 2, 1, 12, 30).toISOString());
    expect(localToIso("not a time")).toBeNull();
    expect(localToIso(null)).toBeNull();
  });
});
