/**
 * A flow run's logs (or one task's): opened at the tail (the newest lines in one small
 * request, so the first screen does not wait for the whole run), while the subscription
 * streams every line from the start and then the new ones as they are written.
 * Virtualised, with a level filter, search with highlights, live tail (follows the end
 * until the user scrolls up) and download of what matched. A line shows the first line of
 * its message; a multi-line or long one (a traceback) expands in place to the whole
 * message (click, Enter or Space) and the rows below move down (rows are measured).
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { request } from "../api/client";
import { LOGS_LIVE, LOGS_TAIL } from "../api/documents";
import { subscribe } from "../api/live";
import type { LogLine } from "../api/types";
import { filterLogs, formatLogFile, LEVELS, logSource, splitMatches } from "../lib/logs";
import { useSearchParam } from "../lib/router";
import { formatClock, formatDateTime } from "../lib/time";
import { EmptyState } from "./Empty";
import { IconDownload, IconSearch } from "./icons";

const ROW = 24;
const TAIL = 200; // a few screens: enough to read at once, cheap to serve
const LONG_LINE = 160; // characters: beyond this a one-line message is cut, so it expands

/** Whether a message is cut on one row: several lines, or longer than fits. */
export function isExpandable(message: string): boolean {
  return message.includes("\n") || message.length > LONG_LINE;
}

type Scope = { taskSlug?: string | null; mapIndex?: number | null };

/**
 * Every log line of a run (or of one task of it, `scope`), kept up to date; re-rendered
 * at most ~5 times a second.
 */
export function useLogStream(flowRunId: string, scope: Scope = {}): { lines: LogLine[]; version: number; streaming: boolean } {
  const taskSlug = scope.taskSlug ?? null;
  const mapIndex = scope.mapIndex ?? null;
  const lines = useRef<LogLine[]>([]);
  const [version, setVersion] = useState(0);
  const [streaming, setStreaming] = useState(true);
  useEffect(() => {
    let cancelled = false;
    const seen = new Set<string>();
    let head: LogLine[] = []; // lines older than the tail, as the stream reaches them
    let tail: LogLine[] = []; // the newest lines at opening, then every later one
    let headDone = true; // nothing to wait for until a tail was read
    let timer: ReturnType<typeof setTimeout> | null = null;
    let quiet: ReturnType<typeof setTimeout> | null = null;
    const mine = (line: LogLine) => (taskSlug == null || line.taskSlug === taskSlug) && (mapIndex == null || line.mapIndex === mapIndex);
    const flush = () => {
      timer = null;
      lines.current = head.length ? head.concat(tail) : tail;
      setVersion((v) => v + 1);
    };
    const schedule = () => {
      if (!timer) timer = setTimeout(flush, lines.current.length > 5000 ? 200 : 50);
    };
    lines.current = [];
    setVersion((v) => v + 1);
    setStreaming(true);

    let stop = () => {};
    const follow = () => {
      stop = subscribe(LOGS_LIVE, { flowRunId, after: null }, {
        next: ({ logs }) => {
          for (const line of logs) {
            if (seen.has(line.id)) {
              // The stream reached the tail read at opening: what follows is new.
              if (tail.length && line.id === tail[0].id) headDone = true;
              continue;
            }
            seen.add(line.id);
            if (!mine(line)) continue;
            if (headDone) tail.push(line);
            else head.push(line);
          }
          schedule();
          setStreaming(true);
          if (quiet) clearTimeout(quiet);
          quiet = setTimeout(() => setStreaming(false), 600);
        },
      });
    };
    quiet = setTimeout(() => setStreaming(false), 1500);
    // The tail first, alone (the stream's first pages would compete with it), then the
    // stream: from the start, so the older lines fill in behind the tail.
    void request(LOGS_TAIL, { flowRunId, taskSlug, mapIndex, last: TAIL })
      .then(
        (opened) => {
          if (cancelled) return;
          tail = opened.logs.nodes.slice();
          for (const line of tail) seen.add(line.id);
          headDone = tail.length === 0;
          flush();
        },
        () => undefined, // the stream alone still shows everything
      )
      .finally(() => {
        if (!cancelled) follow();
      });
    return () => {
      cancelled = true;
      stop();
      if (timer) clearTimeout(timer);
      if (quiet) clearTimeout(quiet);
    };
  }, [flowRunId, taskSlug, mapIndex]);
  return { lines: lines.current, version, streaming };
}

export function LogView({ flowRunId, taskSlug = null, mapIndex = null, fileName }: { flowRunId: string; taskSlug?: string | null; mapIndex?: number | null; fileName: string }) {
  const { lines, version, streaming } = useLogStream(flowRunId, { taskSlug, mapIndex });
  const [level, setLevel] = useSearchParam("level");
  const [search, setSearch] = useState("");
  const [follow, setFollow] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback((id: string) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const levelMin = Number(level ?? 0) || 0;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const shown = useMemo(() => filterLogs(lines, { levelMin, search, taskSlug, mapIndex }), [lines, version, levelMin, search, taskSlug, mapIndex]);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 20, initialRect: { width: 900, height: 480 } });

  useEffect(() => {
    if (follow && shown.length) virtualizer.scrollToIndex(shown.length - 1, { align: "end" });
  }, [follow, shown.length, virtualizer]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    if (atEnd !== follow) setFollow(atEnd);
  };

  const download = () => {
    const blob = new Blob([formatLogFile(shown)], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div data-testid="log-view">
      <div className="toolbar">
        <label className="search">
          <IconSearch size={16} />
          <span className="sr-only">Search logs</span>
          <input className="input" type="search" placeholder="Search logs…" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="log-search" />
        </label>
        <select className="select" aria-label="Minimum level" value={String(levelMin)} onChange={(e) => setLevel(e.target.value === "0" ? null : e.target.value)} data-testid="log-level">
          {LEVELS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
        <span className="spacer" />
        <span className="small muted" data-testid="log-count">
          {shown.length.toLocaleString()}{shown.length !== lines.length ? ` of ${lines.length.toLocaleString()}` : ""} lines{streaming ? " · loading…" : ""}
        </span>
        <button type="button" className="btn btn-sm" aria-pressed={follow} onClick={() => setFollow(!follow)} title="Keep the newest line in view" data-testid="log-follow">
          {follow ? "● Live tail" : "Live tail"}
        </button>
        <button type="button" className="btn btn-sm" onClick={download} disabled={!shown.length} data-testid="log-download"><IconDownload size={15} /> Download</button>
      </div>
      <div className="logs">
        {shown.length === 0 ? (
          <EmptyState title={lines.length ? "No line matches" : streaming ? "Loading logs…" : "No logs yet"}>
            {lines.length ? "Change the level or the search." : "Lines the run writes (get_run_logger()) appear here as they are written."}
          </EmptyState>
        ) : (
          <div ref={scroller} className="vscroll" style={{ height: 480 }} onScroll={onScroll}>
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((item) => {
                const line = shown[item.index];
                const expandable = isExpandable(line.message);
                const open = expandable && expanded.has(line.id);
                const firstLine = line.message.split("\n", 1)[0];
                const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
                  if (e.key !== "Enter" && e.key !== " ") return;
                  e.preventDefault();
                  toggle(line.id);
                };
                return (
                  <div key={line.id} data-index={item.index} ref={virtualizer.measureElement} data-testid="log-line" className={`log-entry${open ? " open" : ""}`}
                    style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                    <div className={`log-line${line.level >= 40 ? " err" : ""}${expandable ? " expandable" : ""}`}
                      {...(expandable ? { role: "button", tabIndex: 0, "aria-expanded": open, onClick: () => toggle(line.id), onKeyDown: onKey, title: open ? "Fold" : "Show the whole message" } : {})}>
                      <span className="faint" title={formatDateTime(line.timestamp)}>{formatClock(line.timestamp)}</span>
                      <span className={`lvl lvl-${line.levelName}`}>{line.levelName}</span>
                      <span className="src" title={logSource(line)}>{logSource(line)}</span>
                      <span className="msg">
                        {expandable && <span className="caret" aria-hidden>{open ? "▾" : "▸"}</span>}
                        {splitMatches(firstLine, search).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                        {expandable && !open && line.message.includes("\n") && <span className="faint"> …</span>}
                      </span>
                    </div>
                    {open && (
                      <pre className="log-full" data-testid="log-full">
                        {splitMatches(line.message, search).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                      </pre>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
