/**
 * The flow's graph as a schematic: dagre lays it out (loaded on demand), plain SVG draws
 * it, drag pans, ctrl+wheel zooms. Nodes are labelled with their task's unique slug. The
 * view fits the width but never shrinks below a readable scale: a long graph is folded
 * into bands and scrolls. With `status`, nodes take their task's state colour
 * and mapped tasks show how many children are done.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type PointerEvent, type WheelEvent } from "react";
import type { FlowEdge, FlowTask } from "../api/types";
import { layoutGraph, NODE_WIDTH, shortSlug, type Layout } from "../lib/graph";
import { stateColorVar, type Family } from "../lib/states";
import { IconFit, IconPlus } from "./icons";

export interface NodeStatus {
  state: string;
  total: number;
  done: number;
  counts?: Map<Family, number>;
}

function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return "";
  if (points.length === 2) return `M${points[0].x},${points[0].y}L${points[1].x},${points[1].y}`;
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    d += `Q${points[i].x},${points[i].y} ${mid.x},${mid.y}`;
  }
  const last = points[points.length - 1];
  return `${d}L${last.x},${last.y}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The smallest scale "fit" picks: labels stay readable; what does not fit scrolls. */
const MIN_FIT = 0.85;
const MAX_FIT = 1.2;
const PAD = 20;
const MIN_HEIGHT = 160;

export function Schematic({ tasks, edges, status, onSelect, height = 420 }: { tasks: FlowTask[]; edges: FlowEdge[]; status?: Map<string, NodeStatus>; onSelect?: (slug: string) => void; height?: number }) {
  const [layout, setLayout] = useState<Layout | null>(null);
  const [k, setK] = useState(1);
  const box = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean } | null>(null);
  const graphKey = useMemo(() => JSON.stringify([tasks.map((t) => t.slug), edges.map((e) => [e.upstream, e.downstream])]), [tasks, edges]);

  useEffect(() => {
    // The layout code is a separate chunk: if fetching it fails (server restarting), retry.
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A graph wider than the box at the smallest readable scale is folded into bands.
    const foldAt = Math.max(NODE_WIDTH + 2 * PAD, ((box.current?.clientWidth || 800) - 2 * PAD) / MIN_FIT);
    const attempt = () =>
      layoutGraph(tasks, edges, "LR", foldAt).then(
        (result) => alive && setLayout(result),
        () => {
          if (alive) timer = setTimeout(attempt, 2000);
        },
      );
    void attempt();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graphKey]);

  // Fit to the width, never below a readable scale; the height follows, up to `height`.
  const fit = useCallback(() => {
    const el = box.current;
    if (!el || !layout) return;
    const w = el.clientWidth || 800;
    setK(Math.min(MAX_FIT, Math.max(MIN_FIT, (w - 2 * PAD) / Math.max(1, layout.width))));
    scroller.current?.scrollTo({ left: 0, top: 0 });
  }, [layout]);

  useEffect(fit, [fit]);

  const zoom = (factor: number) => {
    const el = scroller.current;
    setK((old) => {
      const next = Math.min(3, Math.max(0.1, old * factor));
      if (el) {
        // Keep the middle of the view where it was.
        const cx = el.scrollLeft + el.clientWidth / 2;
        const cy = el.scrollTop + el.clientHeight / 2;
        requestAnimationFrame(() => el.scrollTo({ left: (cx * next) / old - el.clientWidth / 2, top: (cy * next) / old - el.clientHeight / 2 }));
      }
      return next;
    });
  };

  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    if (!e.ctrlKey && !e.metaKey) return; // plain wheel scrolls; ctrl+wheel (and pinch) zooms
    zoom(e.deltaY < 0 ? 1.12 : 1 / 1.12);
  };
  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    const el = scroller.current;
    drag.current = { x: e.clientX, y: e.clientY, left: el?.scrollLeft ?? 0, top: el?.scrollTop ?? 0, moved: false };
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const el = scroller.current;
    if (!d || !el) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) > 4) {
      d.moved = true;
      e.currentTarget.setPointerCapture(e.pointerId);
    }
    if (d.moved) el.scrollTo({ left: d.left - dx, top: d.top - dy });
  };
  const onUp = () => {
    setTimeout(() => (drag.current = null), 0);
  };

  const contentWidth = layout ? layout.width * k + 2 * PAD : 0;
  const contentHeight = layout ? layout.height * k + 2 * PAD : 0;
  const boxWidth = box.current?.clientWidth ?? 0;
  // A graph narrower than the box sits in the middle.
  const offsetX = layout ? Math.max(PAD, (boxWidth - layout.width * k) / 2) : PAD;
  const shownHeight = layout ? Math.min(height, Math.max(MIN_HEIGHT, contentHeight)) : height;
  const bySlug = useMemo(() => new Map(tasks.map((t) => [t.slug, t])), [tasks]);
  return (
    <div className="schematic" ref={box} style={{ height: shownHeight }} onWheel={onWheel} onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} data-testid="schematic">
      <div className="controls">
        <button type="button" className="btn btn-sm" onClick={() => zoom(1.2)} aria-label="Zoom in"><IconPlus size={15} /></button>
        <button type="button" className="btn btn-sm" onClick={() => zoom(1 / 1.2)} aria-label="Zoom out"><span style={{ fontSize: 18, lineHeight: 1 }}>−</span></button>
        <button type="button" className="btn btn-sm" onClick={fit} aria-label="Fit to view"><IconFit size={15} /></button>
      </div>
      {!layout && <div className="skeleton" style={{ position: "absolute", inset: 24 }} />}
      {layout && (
        <div className="schematic-scroll" ref={scroller}>
        <svg role="img" aria-label="Flow schematic" width={Math.max(contentWidth, boxWidth)} height={Math.max(contentHeight, shownHeight)}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0L10,5L0,10z" fill="var(--border-strong)" />
            </marker>
          </defs>
          <g transform={`translate(${offsetX},${PAD}) scale(${k})`}>
            {layout.edges.map((edge, i) => (
              <path key={i} className={`edge${edge.mapped ? " mapped" : ""}`} d={pathOf(edge.points)} markerEnd="url(#arrow)">
                <title>{`${edge.upstream} → ${edge.downstream}${edge.key ? ` (${edge.key})` : ""}${edge.mapped ? ", mapped" : ""}`}</title>
              </path>
            ))}
            {[...layout.nodes.values()].map((node) => {
              const task = bySlug.get(node.slug);
              const st = status?.get(node.slug);
              // With run status, a task with no run yet is Pending; without, tasks are neutral.
              const color = st ? stateColorVar(st.state) : status ? stateColorVar("Pending") : task?.isParameter ? "var(--text-faint)" : "var(--accent)";
              const sub = task?.isParameter
                ? "parameter"
                : st
                  ? task?.mapped && st.total > 0
                    ? `${st.state} · ${st.done.toLocaleString()}/${st.total.toLocaleString()}`
                    : st.state
                  : status
                    ? "not started"
                    : task?.mapped
                    ? "mapped task"
                    : task?.isReference
                      ? "reference task"
                      : "task";
              return (
                <g key={node.slug} className={`node${task?.isParameter ? " param" : ""}`} transform={`translate(${node.x},${node.y})`}
                  data-slug={node.slug} data-state={st?.state ?? ""} data-done={st?.done} data-total={st?.total} style={{ "--c": color } as CSSProperties}
                  onClick={() => !drag.current?.moved && onSelect?.(node.slug)}>
                  <title>{`${node.slug}${task && task.name !== node.slug ? ` (${task.name})` : ""}${st ? `: ${st.state}` : ""}`}</title>
                  {task?.mapped && <rect className="box" x={5} y={5} width={node.width} height={node.height} rx={10} opacity={0.6} />}
                  <rect className="box" width={node.width} height={node.height} rx={10} />
                  <rect x={0} y={0} width={5} height={node.height} rx={2} fill={color} />
                  {st && st.total > 1 && (
                    <rect x={12} y={node.height - 6} width={(node.width - 24) * (st.done / st.total)} height={2.5} rx={1.2} fill={color} />
                  )}
                  <text className="label" x={16} y={22}>{shortSlug(node.slug, 22)}</text>
                  <text className="sub" x={16} y={39}>{truncate(sub, 28)}</text>
                  {st && <circle cx={node.width - 14} cy={16} r={5} fill={color} />}
                </g>
              );
            })}
          </g>
        </svg>
        </div>
      )}
    </div>
  );
}
