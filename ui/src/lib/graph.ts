/**
 * The flow graph: topological order of task slugs, and the schematic's layout (dagre,
 * loaded on demand so the first page never pays for it).
 */
import type { FlowEdge, FlowTask } from "../api/types";

/** Slugs upstream first (Kahn's algorithm; ties by name; a cycle's rest appended). */
export function topologicalOrder(tasks: Pick<FlowTask, "slug">[], edges: Pick<FlowEdge, "upstream" | "downstream">[]): string[] {
  const indegree = new Map<string, number>(tasks.map((t) => [t.slug, 0]));
  const downstream = new Map<string, string[]>();
  for (const edge of edges) {
    if (!indegree.has(edge.upstream) || !indegree.has(edge.downstream)) continue;
    indegree.set(edge.downstream, (indegree.get(edge.downstream) ?? 0) + 1);
    downstream.set(edge.upstream, [...(downstream.get(edge.upstream) ?? []), edge.downstream]);
  }
  const ready = [...indegree].filter(([, n]) => n === 0).map(([slug]) => slug).sort();
  const order: string[] = [];
  while (ready.length) {
    const slug = ready.shift()!;
    order.push(slug);
    for (const next of downstream.get(slug) ?? []) {
      const n = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, n);
      if (n === 0) {
        ready.push(next);
        ready.sort();
      }
    }
  }
  for (const task of tasks) if (!order.includes(task.slug)) order.push(task.slug);
  return order;
}

export interface LaidOutNode {
  slug: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  upstream: string;
  downstream: string;
  points: { x: number; y: number }[];
  mapped: boolean;
  key: string | null;
}

export interface Layout {
  nodes: Map<string, LaidOutNode>;
  edges: LaidOutEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 52;

/** Lay the graph out top to bottom; node boxes are fixed size, edges routed by dagre. */
export async function layoutGraph(tasks: Pick<FlowTask, "slug">[], edges: FlowEdge[], direction: "TB" | "LR" = "LR"): Promise<Layout> {
  const dagre = await import("@dagrejs/dagre");
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: 28, ranksep: 64, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const task of tasks) g.setNode(task.slug, { width: NODE_WIDTH, height: NODE_HEIGHT });
  edges.forEach((edge, i) => {
    if (g.hasNode(edge.upstream) && g.hasNode(edge.downstream)) g.setEdge(edge.upstream, edge.downstream, {}, String(i));
  });
  dagre.layout(g);
  const nodes = new Map<string, LaidOutNode>();
  for (const slug of g.nodes()) {
    const n = g.node(slug);
    nodes.set(slug, { slug, x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  const laid: LaidOutEdge[] = [];
  edges.forEach((edge, i) => {
    const e = g.edge({ v: edge.upstream, w: edge.downstream, name: String(i) });
    if (!e) return;
    laid.push({ upstream: edge.upstream, downstream: edge.downstream, points: e.points ?? [], mapped: edge.mapped, key: edge.key });
  });
  const graph = g.graph();
  return { nodes, edges: laid, width: graph.width ?? 0, height: graph.height ?? 0 };
}
