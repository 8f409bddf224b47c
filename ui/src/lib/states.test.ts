import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { familyOf, FAMILIES, isActive, isFinished, severity, STATE_COLORS, stateColorVar, summarize, summarizeCounts } from "./states";

describe("state families", () => {
  it("maps every state name to its family, like the server", () => {
    expect(familyOf("Retrying")).toBe("Scheduled");
    expect(familyOf("Cached")).toBe("Success");
    expect(familyOf("Mapped")).toBe("Success");
    expect(familyOf("Skipped")).toBe("Success");
    expect(familyOf("TimedOut")).toBe("Failed");
    expect(familyOf("TriggerFailed")).toBe("Failed");
    expect(familyOf("Cancelling")).toBe("Cancelling");
    expect(familyOf("Something new")).toBe("Pending");
    expect(familyOf(null)).toBe("Pending");
  });

  it("knows finished and active states", () => {
    expect(isFinished("Cached")).toBe(true);
    expect(isFinished("Cancelled")).toBe(true);
    expect(isFinished("Cancelling")).toBe(false);
    expect(isActive("Running")).toBe(true);
    expect(isActive("Scheduled")).toBe(false);
  });

  it("sorts problems first", () => {
    expect(severity("Failed")).toBeLessThan(severity("Running"));
    expect(severity("Running")).toBeLessThan(severity("Success"));
  });
});

describe("state colours", () => {
  it("uses one CSS token per family", () => {
    expect(stateColorVar("Retrying")).toBe("var(--state-scheduled)");
    expect(stateColorVar("TimedOut")).toBe("var(--state-failed)");
  });

  it("defines every family's token in both themes, with the literal colours", () => {
    const css = readFileSync(join(process.cwd(), "src/styles/theme.css"), "utf8");
    const [light, afterLight] = css.split("@media (prefers-color-scheme: dark)");
    const dark = afterLight.split(':root[data-theme="dark"]')[1];
    for (const family of FAMILIES) {
      const token = `--state-${family.toLowerCase()}`;
      expect(light).toContain(`${token}: ${STATE_COLORS.light[family]};`);
      expect(dark).toContain(`${token}: ${STATE_COLORS.dark[family]};`);
      expect(afterLight).toContain(`${token}: ${STATE_COLORS.dark[family]};`);
    }
  });

  it("gives each family a distinct colour within a theme", () => {
    for (const theme of ["light", "dark"] as const) {
      const values = Object.values(STATE_COLORS[theme]);
      expect(new Set(values).size).toBe(values.length);
    }
  });
});

describe("summarize", () => {
  it("counts families and sums them up", () => {
    expect(summarize(["Success", "Cached", "Running"]).overall).toBe("Running");
    expect(summarize(["Success", "Failed", "Running"]).overall).toBe("Failed");
    expect(summarize(["Success", "Skipped"]).overall).toBe("Success");
    expect(summarize(["Success", "Cancelled"]).overall).toBe("Cancelled");
    expect(summarize(["Success", "Pending"]).overall).toBe("Pending");
    const s = summarize(["Success", "Cached", "Failed"]);
    expect(s.total).toBe(3);
    expect(s.counts.get("Success")).toBe(2);
    expect(summarize([]).overall).toBe("Pending");
  });
});

describe("summarizeCounts", () => {
  it("agrees with summarize on states counted by name", () => {
    const states = ["Success", "Cached", "Running", "Retrying", "Failed", "TimedOut", "Success"];
    const byName: Record<string, number> = {};
    for (const s of states) byName[s] = (byName[s] ?? 0) + 1;
    expect(summarizeCounts(byName)).toEqual(summarize(states));
    expect(summarizeCounts({ Success: 3, Running: 0 })).toEqual(summarize(["Success", "Success", "Success"]));
    expect(summarizeCounts({}).overall).toBe("Pending");
  });
});
