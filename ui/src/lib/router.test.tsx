// @vitest-environment jsdom
import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Link, matchPath, navigate, pathTo, useLocation, useSearchParam } from "./router";

describe("matchPath", () => {
  it("matches patterns and decodes their parts", () => {
    expect(matchPath("/flows/:id", "/flows/abc")).toEqual({ id: "abc" });
    expect(matchPath("/runs/:id/tasks/:slug", "/runs/1/tasks/load%20data")).toEqual({ id: "1", slug: "load data" });
    expect(matchPath("/flows/:id", "/flows")).toBeNull();
    expect(matchPath("/flows/:id", "/runs/abc")).toBeNull();
    expect(matchPath("/", "/")).toEqual({});
    expect(matchPath("/flows/:id", "/flows/%E0%A4%A")).toBeNull();
  });

  it("builds paths with encoded parts", () => {
    expect(pathTo("/runs/:id/tasks/:slug/:index", { id: "r", slug: "a/b", index: 3 })).toBe("/runs/r/tasks/a%2Fb/3");
  });
});

function Where() {
  const { pathname, search } = useLocation();
  const [tab, setTab] = useSearchParam("tab");
  return (
    <div>
      <span data-testid="where">{pathname + search}</span>
      <span data-testid="tab">{tab ?? "none"}</span>
      <button type="button" onClick={() => setTab("logs")}>logs</button>
      <Link to="/flows/x">go</Link>
    </div>
  );
}

describe("history", () => {
  it("navigates with links, query parameters and back", async () => {
    act(() => navigate("/", { replace: true }));
    render(<Where />);
    expect(screen.getByTestId("where").textContent).toBe("/");
    fireEvent.click(screen.getByText("go"));
    expect(screen.getByTestId("where").textContent).toBe("/flows/x");
    fireEvent.click(screen.getByText("logs"));
    expect(screen.getByTestId("where").textContent).toBe("/flows/x?tab=logs");
    expect(screen.getByTestId("tab").textContent).toBe("logs");
    act(() => navigate("/agents"));
    expect(screen.getByTestId("where").textContent).toBe("/agents");
    await act(async () => {
      window.history.back();
      await new Promise((resolve) => window.addEventListener("popstate", resolve, { once: true }));
    });
    expect(screen.getByTestId("where").textContent).toBe("/flows/x?tab=logs");
  });

  it("lets the browser handle modified clicks (new tab)", () => {
    act(() => navigate("/", { replace: true }));
    render(<Where />);
    fireEvent.click(screen.getByText("go"), { ctrlKey: true });
    expect(screen.getByTestId("where").textContent).toBe("/");
  });
});
