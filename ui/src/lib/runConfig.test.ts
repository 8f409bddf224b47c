import { describe, expect, it } from "vitest";
import { describeRunConfig, parseEnvLines } from "./runConfig";

describe("describeRunConfig", () => {
  it("names the kind and lists the settings, env by name only", () => {
    const summary = describeRunConfig({
      type: "docker", image: "etl:1.2", env: { TOKEN: "s3cret", STAGE: "prod" },
      volumes: ["/data:/data:ro"], cpu: 1.5, memory: "2g", labels: ["docker"], network: null,
    });
    expect(summary.kind).toBe("Docker container");
    expect(summary.lines).toEqual(["image: etl:1.2", "env: TOKEN, STAGE", "volumes: /data:/data:ro", "cpu: 1.5", "memory: 2g"]);
    expect(summary.lines.join(" ")).not.toContain("s3cret");
  });

  it("calls a flow without a run config one any agent runs", () => {
    expect(describeRunConfig({})).toEqual({ kind: "Any agent", lines: [] });
    expect(describeRunConfig(null).kind).toBe("Any agent");
    expect(describeRunConfig({ type: "kubernetes", image: "x" }).kind).toBe("Kubernetes job (specification only)");
  });
});

describe("parseEnvLines", () => {
  it("reads NAME=VALUE lines, keeping = in values and skipping blanks and comments", () => {
    expect(parseEnvLines("A=1\n\n# note\nURL=http://x/?a=b\nEMPTY=")).toEqual({
      ok: true, env: { A: "1", URL: "http://x/?a=b", EMPTY: "" },
    });
    expect(parseEnvLines("  \n")).toEqual({ ok: true, env: null });
  });

  it("names the line that is not NAME=VALUE", () => {
    expect(parseEnvLines("A=1\nB")).toEqual({ ok: false, error: expect.stringContaining("Line 2") });
    expect(parseEnvLines("1A=x")).toEqual({ ok: false, error: expect.stringContaining("Line 1") });
  });
});
