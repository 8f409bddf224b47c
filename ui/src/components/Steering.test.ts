// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { missingValues, needsText } from "./QuickRun";

describe("quick run", () => {
  it("needs the required parameters that have no default, in the schema's order", () => {
    const schema = {
      type: "object",
      properties: { day: { type: "string" }, n: { type: "integer", default: 3 }, tag: { type: "string" }, limit: { type: "integer" } },
      required: ["day", "n", "limit"],
    };
    expect(missingValues(schema)).toEqual(["day", "limit"]);
    expect(needsText(["day", "limit"])).toBe("Needs a value for day, limit (no default): fill in the form.");
  });

  it("runs a flow whose parameters all have defaults, or that has none", () => {
    expect(missingValues({ type: "object", properties: { n: { type: "integer", default: 3 } }, required: ["n"] })).toEqual([]);
    expect(missingValues({})).toEqual([]);
    expect(missingValues(null)).toEqual([]);
  });
});

describe("restart-from preview order", async () => {
  const { inGraphOrder } = await import("./Steering");
  it("lists the groups in the flow's order, unknown tasks last by name", () => {
    const groups = [{ taskSlug: "last" }, { taskSlug: "zeta" }, { taskSlug: "middle" }, { taskSlug: "alpha" }];
    expect(inGraphOrder(groups, ["first", "middle", "last"]).map((g) => g.taskSlug)).toEqual(["middle", "last", "alpha", "zeta"]);
  });
});
