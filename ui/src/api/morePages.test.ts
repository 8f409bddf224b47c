import { describe, expect, it } from "vitest";
import { appendPage } from "./morePages";

describe("appendPage", () => {
  it("puts the page after what was loaded and keeps its end for the next one", () => {
    const page = { nodes: [3, 4], pageInfo: { endCursor: "c4", hasNextPage: true } };
    expect(appendPage([1, 2], page)).toEqual({ items: [1, 2, 3, 4], after: "c4", loading: false, error: null });
  });
  it("has nothing after the last page", () => {
    const page = { nodes: [5], pageInfo: { endCursor: "c5", hasNextPage: false } };
    expect(appendPage([1], page).after).toBeNull();
  });
});
