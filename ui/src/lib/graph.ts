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

const FOLD_GAP_X = 64;
const FOLD_GAP_Y = 28;
const FOLD_BAND_GAP = 40;
const MARGIN = 16;
// Room at the sides for the edges that wrap from one band to the next.
const FOLD_SIDE = FOLD_GAP_X / 2 + 8;

/** Each task's layer: the longest path of edges reaching it (a cycle's rest: layer 0). */
export function layersOf(tasks: Pick<FlowTask, "slug">[], edges: Pick<FlowEdge, "upstream" | "downstream">[]): Map<string, number> {
  const order = topologicalOrder(tasks, edges);
  const position = new Map(order.map((slug, i) => [slug, i]));
  const upstreams = new Map<string, string[]>();
  for (const edge of edges) {
    if (!position.has(edge.upstream) || !position.has(edge.downstream)) continue;
    // Only edges that go forward in the order count: a cycle cannot loop forever.
    if (position.get(edge.upstream)! >= position.get(edge.downstream)!) continue;
    upstreams.set(edge.downstream, [...(upstreams.get(edge.downstream) ?? []), edge.upstream]);
  }
  const layer = new Map<string, number>();
  for (const slug of order) {
    let at = 0;
    for (const up of upstreams.get(slug) ?? []) at = Math.max(at, (layer.get(up) ?? 0) + 1);
    layer.set(slug, at);
  }
  return layer;
}

/**
 * Fold a left-to-right layout that is wider than `maxWidth` into bands, like lines of
 * text: layers 0..k-1 on the first band, k..2k-1 on the next, and so on, so a long chain
 * stays readable at a minimum scale and is reached by scrolling down. Within a layer,
 * nodes keep dagre's vertical order (its crossing reduction).
 */
export function foldLayout(layout: Layout, layers: Map<string, number>, maxWidth: number): Layout {
  const perBand = Math.max(1, Math.floor((maxWidth - 2 * FOLD_SIDE + FOLD_GAP_X) / (NODE_WIDTH + FOLD_GAP_X)));
  const byLayer = new Map<number, LaidOutNode[]>();
  for (const node of layout.nodes.values()) {
    const at = layers.get(node.slug) ?? 0;
    const list = byLayer.get(at);
    if (list) list.push(node);
    else byLayer.set(at, [node]);
  }
  const layerCount = Math.max(0, ...byLayer.keys()) + 1;
  const bands = Math.ceil(layerCount / perBand);
  const bandTop: number[] = [];
  let top = MARGIN;
  for (let band = 0; band < bands; band += 1) {
    bandTop.push(top);
    let tallest = 1;
    for (let at = band * perBand; at < Math.min(layerCount, (band + 1) * perBand); at += 1) tallest = Math.max(tallest, byLayer.get(at)?.length ?? 0);
    top += tallest * (NODE_HEIGHT + FOLD_GAP_Y) - FOLD_GAP_Y + FOLD_BAND_GAP;
  }
  const nodes = new Map<string, LaidOutNode>();
  for (const [at, list] of byLayer) {
    list.sort((a, b) => a.y - b.y);
    const band = Math.floor(at / perBand);
    list.forEach((node, i) => {
      nodes.set(node.slug, { ...node, x: FOLD_SIDE + (at % perBand) * (NODE_WIDTH + FOLD_GAP_X), y: bandTop[band] + i * (NODE_HEIGHT + FOLD_GAP_Y) });
    });
  }
  const edges = layout.edges.map((edge) => {
    const from = nodes.get(edge.upstream)!;
    const to = nodes.get(edge.downstream)!;
    const start = { x: from.x + NODE_WIDTH, y: from.y + NODE_HEIGHT / 2 };
    const end = { x: to.x, y: to.y + NODE_HEIGHT / 2 };
    if (end.x > start.x && Math.abs(to.y - from.y) < NODE_HEIGHT * 4) return { ...edge, points: [start, { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }, end] };
    // To a later band: out to the right, down to the gap above the target, back left.
    const gapY = to.y - FOLD_BAND_GAP / 2;
    return { ...edge, points: [start, { x: start.x + FOLD_GAP_X / 2, y: start.y }, { x: start.x + FOLD_GAP_X / 2, y: gapY }, { x: end.x - FOLD_GAP_X / 2, y: gapY }, { x: end.x - FOLD_GAP_X / 2, y: end.y }, end] };
  });
  const width = FOLD_SIDE * 2 + Math.min(perBand, layerCount) * (NODE_WIDTH + FOLD_GAP_X) - FOLD_GAP_X;
  return { nodes, edges, width, height: top - FOLD_BAND_GAP + MARGIN };
}

/** A slug cut to `max` characters keeping its end (`step-12`'s number stays visible). */
export function shortSlug(slug: string, max = 24): string {
  if (slug.length <= max) return slug;
  const tail = Math.min(10, Math.floor(max / 2));
  return `${slug.slice(0, max - tail - 1)}…${slug.slice(-tail)}`;
}

/**
 * Lay the graph out left to right; node boxes are fixed size, edges routed by dagre. With
 * `maxWidth`, a layout wider than that is folded into bands (`foldLayout`).
 */
export async function layoutGraph(tasks: Pick<FlowTask, "slug">[], edges: FlowEdge[], direction: "TB" | "LR" = "LR", maxWidth?: number): Promise<Layout> {
  const laidOut = await dagreLayout(tasks, edges, direction);
  if (maxWidth === undefined || direction !== "LR" || laidOut.width <= maxWidth) return laidOut;
  return foldLayout(laidOut, layersOf(tasks, edges), maxWidth);
}

async function dagreLayout(tasks: Pick<FlowTask, "slug">[], edges: FlowEdge[], direction: "TB" | "LR"): Promise<Layout> {
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
