// @vitest-environment jsdom
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Artifact } from "../api/artifactTypes";
import { ArtifactBody, ResultCard } from "./Artifacts";

function artifact(type: string, data: Artifact["data"]): Artifact {
  return {
    id: "a", key: "k", type, description: null, data, flowRunId: "r", flowRunName: "run", flowName: "flow",
    taskRunId: null, taskSlug: "t", mapIndex: null, created: "2026-12-07T00:00:00Z", updated: "2026-12-07T00:00:00Z",
  };
}

describe("ArtifactBody", () => {
  it("opens an http(s) link artifact and shows any other scheme as text", () => {
    const safe = render(<ArtifactBody artifact={artifact("link", { link: "https://example.com/x", text: "X" })} />).container;
    const a = safe.querySelector("a");
    expect(a?.getAttribute("href")).toBe("https://example.com/x");
    expect(a?.getAttribute("rel")).toContain("noopener");
    const bad = render(<ArtifactBody artifact={artifact("link", { link: "javascript:alert(1)", text: "Y" })} />).container;
    expect(bad.querySelector("a")).toBeNull();
    expect(bad.textContent).toContain("Y");
  });

  it("shows table cells as text, HTML included", () => {
    const table = artifact("table", { columns: ["a", "b"], rows: [["<b>x</b>", 1], [null, { n: 2 }]] });
    const root = render(<ArtifactBody artifact={table} />).container;
    expect([...root.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["a", "b"]);
    expect([...root.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["<b>x</b>", "1", "", '{"n":2}']);
    expect(root.querySelector("td b")).toBeNull();
  });
});

describe("ResultCard", () => {
  it("says how to keep a result when there is none, and shows one when there is", () => {
    expect(render(<ResultCard result={null} />).container.textContent).toContain("Not persisted");
    const root = render(
      <ResultCard result={{ location: "/r/x.json", size: 2048, serializer: "json", resultType: "LocalResult", preview: null, previewNote: "No preview: ...", loadSnippet: "client.load_result(...)" }} />,
    ).container;
    expect(root.querySelector("[data-testid=result-size]")?.textContent).toBe("2.0 KiB");
    expect(root.querySelector("[data-testid=result-format]")?.textContent).toBe("json · LocalResult");
    expect(root.querySelector("[data-testid=result-preview]")).toBeNull();
  });
});
