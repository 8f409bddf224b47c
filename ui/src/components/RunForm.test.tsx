// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import { RunForm } from "./RunForm";

const schema = {
  type: "object",
  properties: {
    count: { type: "integer", title: "count", default: 3, minimum: 1 },
    label: { type: "string", title: "label" },
    verbose: { type: "boolean", title: "verbose", default: false },
    mode: { enum: ["fast", "safe"], title: "mode", default: "safe" },
    tags: { type: "array", items: { type: "string" }, title: "tags", default: [] },
  },
  required: ["label"],
  additionalProperties: false,
};

describe("RunForm", () => {
  it("renders typed inputs with their defaults", () => {
    render(<RunForm schema={schema} onSubmit={vi.fn()} />);
    expect((screen.getByTestId("param-count") as HTMLInputElement).value).toBe("3");
    expect((screen.getByTestId("param-label") as HTMLInputElement).value).toBe("");
    expect((screen.getByTestId("param-verbose") as HTMLInputElement).type).toBe("checkbox");
    expect((screen.getByTestId("param-mode") as HTMLSelectElement).value).toBe('"safe"');
    expect((screen.getByTestId("param-tags") as HTMLTextAreaElement).value).toBe("[]");
    expect(screen.getByText("Default: 3")).toBeTruthy();
  });

  it("shows validation messages before submitting, and sends nothing", async () => {
    const onSubmit = vi.fn();
    render(<RunForm schema={schema} onSubmit={onSubmit} />);
    const count = screen.getByTestId("param-count");
    fireEvent.change(count, { target: { value: "many" } });
    fireEvent.blur(count);
    expect(screen.getByTestId("param-count-error").textContent).toBe("Enter a whole number.");
    expect(count.getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(screen.getByTestId("run-submit"));
    expect(screen.getByTestId("param-label-error").textContent).toBe("Required.");
    expect(screen.getByTestId("form-error").textContent).toContain("Fix the highlighted fields first.");
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(count, { target: { value: "0" } });
    expect(screen.getByTestId("param-count-error").textContent).toBe("Must be at least 1.");
  });

  it("submits typed values", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<RunForm schema={schema} onSubmit={onSubmit} defaultLabels={["prod"]} />);
    fireEvent.change(screen.getByTestId("param-count"), { target: { value: "5" } });
    fireEvent.change(screen.getByTestId("param-label"), { target: { value: "hello" } });
    fireEvent.click(screen.getByTestId("param-verbose"));
    fireEvent.change(screen.getByTestId("param-mode"), { target: { value: '"fast"' } });
    fireEvent.change(screen.getByTestId("param-tags"), { target: { value: '["a", "b"]' } });
    fireEvent.click(screen.getByTestId("run-submit"));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0]).toEqual({
      parameters: { count: 5, label: "hello", verbose: true, mode: "fast", tags: ["a", "b"] },
      name: null,
      labels: ["prod"],
      scheduledStartTime: null,
      env: null,
    });
  });

  it("sends the environment lines as the run's env, and refuses a line that is not NAME=VALUE", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<RunForm schema={{ type: "object", properties: {} }} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText(/Environment/), { target: { value: "STAGE=test\nbroken" } });
    fireEvent.click(screen.getByTestId("run-submit"));
    await waitFor(() => expect(screen.getByTestId("form-error").textContent).toContain("Line 2"));
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/Environment/), { target: { value: "STAGE=test\nURL=a=b" } });
    fireEvent.click(screen.getByTestId("run-submit"));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][0].env).toEqual({ STAGE: "test", URL: "a=b" });
  });

  it("shows the server's per-parameter messages under the fields", async () => {
    const error = new ApiError("graphql", "Parameter 'label': too long", {
      code: "INVALID_INPUT",
      details: { errors: [{ parameter: "label", message: "Parameter 'label': too long" }] },
    });
    const onSubmit = vi.fn().mockRejectedValue(error);
    render(<RunForm schema={schema} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByTestId("param-label"), { target: { value: "x" } });
    fireEvent.click(screen.getByTestId("run-submit"));
    await waitFor(() => expect(screen.getByTestId("param-label-error").textContent).toBe("Parameter 'label': too long"));
    expect(screen.getByTestId("form-error").textContent).toContain("too long");
  });

  it("says so when a flow has no parameters", () => {
    render(<RunForm schema={{ type: "object", properties: {} }} onSubmit={vi.fn()} />);
    expect(screen.getByText("This flow takes no parameters.")).toBeTruthy();
  });
});
