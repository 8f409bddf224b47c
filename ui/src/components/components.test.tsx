// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { EmptyState } from "./Empty";
import { StateBadge } from "./State";

describe("StateBadge", () => {
  it("shows the state in its family's colour", () => {
    render(<StateBadge state="Retrying" />);
    const badge = screen.getByText("Retrying");
    expect(badge.getAttribute("data-state")).toBe("Retrying");
    expect(badge.getAttribute("style")).toContain("var(--state-scheduled)");
  });
});

describe("EmptyState", () => {
  it("tells a new user the commands to run", () => {
    render(<EmptyState title="No agent" commands={["proctor agent start"]}>Start one.</EmptyState>);
    expect(screen.getByText("proctor agent start")).toBeTruthy();
    expect(screen.getByLabelText("Copy proctor agent start")).toBeTruthy();
  });
});
