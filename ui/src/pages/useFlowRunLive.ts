/**
 * Everything the flow-run page shows, live: the run (from its query, then from the
 * `flowRun` subscription), its state history (re-read when the run's state changes), a
 * per-task summary (in the same first request: the schematic and the Gantt's rows draw
 * from it at once, whatever the size of the run), and every task run (streamed in after
 * the first screen as compact rows, 1,000 per request, merged with the subscription's
 * changes by version). Re-renders are batched, so a burst of thousands of task states
 * costs a few renders.
 *
 * The subscription's first message carries the run and no task runs (`taskRuns: false`):
 * the rows are read once it came, so nothing that changes between the two is missed
 * (the subscription sends every change after its first message), and again after each
 * reconnection, whose first message comes again.
 *
 * The subscription is a fast path, not the source of truth: on a big map the server
 * coalesces bursts and a burst can change more task runs than one message carries. So the
 * page reconciles with the server: while events come, it re-reads the run's aggregate
 * counts (`taskRunSummary`, one small request, at most once a second) and shows them; once
 * events stop for `QUIET_MS` (and at least every `MAX_STALE_MS` while they keep coming) it
 * re-reads every task run. Whichever of the two reads started last is what the page
 * shows, so it ends on exactly what the server holds, without a reload.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { request } from "../api/client";
import { FLOW_RUN, FLOW_RUN_LIVE, TASK_RUN_ROWS, TASK_RUN_SUMMARY } from "../api/documents";
import { useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import type { FlowEdge, FlowRun, FlowTask, StateRecord, TaskRun, TaskSummaryEntry } from "../api/types";
import type { TaskRunRowsQuery } from "../gql/graphql";
import { decodeRows, mergeTaskRuns, summaryTotal } from "../lib/taskRuns";

const PAGE = 1000; // the API's largest page
// Without a live link (a proxy that drops websockets) the rows are read anyway after this
// long, and read again when the link's first message comes.
const LIVE_WAIT_MS = 3000;
// Reconciliation: a full re-read of the task runs this long after the last live event...
const QUIET_MS = 500;
// ...and at least this often while events keep coming.
const MAX_STALE_MS = 5000;
const SUMMARY_EVERY_MS = 1000;

export interface FlowRunLive {
  run: FlowRun | undefined;
  /** The graph of the run's flow version (for the schematic and the order of tasks). */
  graph: { tasks: FlowTask[]; edges: FlowEdge[] } | undefined;
  states: StateRecord[];
  error: unknown;
  deleted: boolean;
  /** The server's per-task summary: from the first request, re-read while events come. */
  summary: TaskSummaryEntry[] | undefined;
  /** The summary was read after the task runs were: counts and states come from it. */
  summaryIsFresher: boolean;
  taskRuns: Map<string, TaskRun>;
  taskVersion: number;
  taskTotal: number | null;
  /** Task runs are still streaming in (`taskRuns` is not every task run yet). */
  loadingTasks: boolean;
  refetch: () => Promise<void>;
}

export function useFlowRunLive(id: string): FlowRunLive {
  const query = useQuery(FLOW_RUN, { id });
  const [live, setLive] = useState<FlowRun | undefined>();
  const [deleted, setDeleted] = useState(false);
  const store = useRef(new Map<string, TaskRun>());
  const [taskVersion, setTaskVersion] = useState(0);
  const [loadingTasks, setLoadingTasks] = useState(true);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [liveSummary, setLiveSummary] = useState<TaskSummaryEntry[] | undefined>();
  const [summaryIsFresher, setSummaryIsFresher] = useState(false);
  // Reads are numbered as they start: the later read of summary and rows wins.
  const reads = useRef({ next: 0, summary: 0, rows: 0 });

  const bump = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      setTaskVersion((v) => v + 1);
    }, 120);
  }, []);

  const loadTasks = useCallback(async (signal: { cancelled: boolean }, quietly = false) => {
    // A reconciliation keeps showing what the page has while it re-reads.
    if (!quietly) setLoadingTasks(true);
    const mine = ++reads.current.next;
    let after: string | null = null;
    let complete = false;
    try {
      for (;;) {
        const page: TaskRunRowsQuery = await request(TASK_RUN_ROWS, { id, first: PAGE, after });
        if (signal.cancelled) return;
        const rows = page.flowRun.taskRunRows;
        if (mergeTaskRuns(store.current, decodeRows(rows))) bump();
        if (!rows.pageInfo.hasNextPage || !rows.pageInfo.endCursor) break;
        after = rows.pageInfo.endCursor;
      }
      complete = true;
    } catch {
      /* the run query shows the error; the subscription keeps what it can */
    } finally {
      if (!signal.cancelled) {
        if (complete && mine > reads.current.rows) {
          reads.current.rows = mine;
          if (mine > reads.current.summary) setSummaryIsFresher(false);
        }
        setLoadingTasks(false);
        bump();
      }
    }
  }, [id, bump]);

  const refreshSummary = useThrottled(() => {
    const mine = ++reads.current.next;
    request(TASK_RUN_SUMMARY, { id }).then(
      (data) => {
        if (mine < reads.current.summary) return;
        reads.current.summary = mine;
        setLiveSummary(data.flowRun.taskRunSummary);
        setSummaryIsFresher(mine > reads.current.rows);
      },
      () => undefined, // the next event or reconciliation reads again
    );
  }, SUMMARY_EVERY_MS);

  const refetchHistory = useThrottled(() => void query.refetch(), 500);

  // The run itself first (one small request), then the heavy reads: on a run with
  // thousands of task runs those would otherwise delay the first render.
  const started = query.data !== undefined || query.error != null;
  useEffect(() => {
    if (!started) return undefined;
    let signal = { cancelled: false };
    let fallback: ReturnType<typeof setTimeout> | undefined;
    const reload = () => {
      signal.cancelled = true;
      signal = { cancelled: false };
      clearTimeout(fallback);
      void loadTasks(signal);
    };
    // Reconciliation after a burst: one full read at a time; events during a read ask
    // for one more after it.
    let quiet: ReturnType<typeof setTimeout> | undefined;
    let staleSince: number | null = null;
    let reading = false;
    let again = false;
    const reconcile = () => {
      clearTimeout(quiet);
      staleSince = null;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      const mine = signal;
      void loadTasks(mine, true).finally(() => {
        reading = false;
        if (again && !mine.cancelled) {
          again = false;
          reconcile();
        }
      });
    };
    const changed = () => {
      refreshSummary();
      staleSince ??= Date.now();
      clearTimeout(quiet);
      const wait = Math.min(QUIET_MS, Math.max(0, staleSince + MAX_STALE_MS - Date.now()));
      quiet = setTimeout(reconcile, wait);
    };
    fallback = setTimeout(reload, LIVE_WAIT_MS);
    const stop = subscribe(FLOW_RUN_LIVE, { id, taskRuns: false }, {
      next: ({ flowRun: update }) => {
        if (update.kind === "deleted") {
          setDeleted(true);
          return;
        }
        if (update.kind === "snapshot") reload();
        if (update.flowRun) {
          const next = update.flowRun;
          setLive((prev) => (prev && prev.version > next.version ? prev : next));
          if (update.kind === "flow_run") refetchHistory();
        }
        if (update.taskRuns.length && mergeTaskRuns(store.current, update.taskRuns)) {
          bump();
        }
        if (update.kind !== "snapshot") changed();
      },
      error: reload,
    });
    return () => {
      signal.cancelled = true;
      clearTimeout(fallback);
      clearTimeout(quiet);
      stop();
      if (pending.current) clearTimeout(pending.current);
    };
  }, [id, started, loadTasks, bump, refetchHistory, refreshSummary]);

  const fromQuery = query.data?.flowRun;
  const summary = liveSummary ?? fromQuery?.taskRunSummary;
  const summarized = useMemo(() => (summary ? summaryTotal(summary) : null), [summary]);
  const taskTotal = loadingTasks
    ? (summarized == null ? null : Math.max(summarized, store.current.size))
    : summaryIsFresher && summarized != null ? summarized : store.current.size;
  const run = !fromQuery ? live : !live || fromQuery.version >= live.version ? fromQuery : live;
  return {
    run,
    graph: fromQuery?.flow,
    states: fromQuery?.states ?? [],
    error: query.data ? null : query.error,
    deleted,
    summary,
    summaryIsFresher,
    taskRuns: store.current,
    taskVersion,
    taskTotal,
    loadingTasks,
    refetch: query.refetch,
  };
}
