import { describe, expect, it } from "vitest";
import { layersOf, layoutGraph, NODE_WIDTH, shortSlug } from "./graph";

const chain = (n: number) => {
  const tasks = Array.from({ length: n }, (_, i) => ({ slug: i === 0 ? "step" : `step-${i + 1}` }));
  const edges = tasks.slice(1).map((t, i) => ({ upstream: tasks[i].slug, downstream: t.slug, key: "value", mapped: false, flatten: false }));
  return { tasks, edges };
};

describe("layersOf", () => {
  it("puts each task one layer after its deepest upstream", () => {
    const layers = layersOf([{ slug: "a" }, { slug: "b" }, { slug: "c" }], [
      { upstream: "a", downstream: "b" },
      { upstream: "a", downstream: "c" },
      { upstream: "b", downstream: "c" },
    ]);
    expect([...layers]).toEqual([["a", 0], ["b", 1], ["c", 2]]);
  });
});

describe("layoutGraph folding", () => {
  it("folds a chain wider than the limit into bands that fit it", async () => {
    const { tasks, edges } = chain(100);
    const layout = await layoutGraph(tasks, edges, "LR", 1200);
    expect(layout.width).toBeLessThanOrEqual(1200);
    const xs = [...layout.nodes.values()].map((n) => n.x + NODE_WIDTH);
    expect(Math.max(...xs)).toBeLessThanOrEqual(layout.width);
    // Every node has a place of its own.
    const places = new Set([...layout.nodes.values()].map((n) => `${n.x},${n.y}`));
    expect(places.size).toBe(100);
    expect(layout.edges).toHaveLength(99);
  });

  it("leaves a graph that fits as dagre laid it out", async () => {
    const { tasks, edges } = chain(3);
    const folded = await layoutGraph(tasks, edges, "LR", 5000);
    const plain = await layoutGraph(tasks, edges, "LR");
    expect(folded.width).toBe(plain.width);
  });
});

describe("shortSlug", () => {
  it("keeps the end of a long slug, where its number is", () => {
    expect(shortSlug("step-2")).toBe("step-2");
    const cut = shortSlug("a_really_long_task_name_for_testing-123", 22);
    expect(cut).toHaveLength(22);
    expect(cut.endsWith("esting-123")).toBe(true);
  });
});
