/**
 * Everything the flow-run page shows, live: the run (from its query, then from the
 * `flowRun` subscription), its state history (re-read when the run's state changes), and
 * every task run (read page by page, 1,000 at a time, merged with the subscription's
 * changes by version). Re-renders are batched, so a burst of thousands of task states
 * costs a few renders.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { request } from "../api/client";
import { FLOW_RUN, FLOW_RUN_LIVE, TASK_RUNS } from "../api/documents";
import { useQuery, useThrottled } from "../api/hooks";
import { onReconnect, subscribe } from "../api/live";
import type { Connection, FlowEdge, FlowRun, FlowTask, StateRecord, TaskRun } from "../api/types";
import { mergeTaskRuns } from "../lib/taskRuns";

const FIRST_PAGE = 200; // small, so the timeline draws quickly
const PAGE = 1000; // the API's largest page

export interface FlowRunLive {
  run: FlowRun | undefined;
  /** The graph of the run's flow version (for the schematic and the order of tasks). */
  graph: { tasks: FlowTask[]; edges: FlowEdge[] } | undefined;
  states: StateRecord[];
  error: unknown;
  deleted: boolean;
  taskRuns: Map<string, TaskRun>;
  taskVersion: number;
  taskTotal: number | null;
  loadingTasks: boolean;
  refetch: () => Promise<void>;
}

export function useFlowRunLive(id: string): FlowRunLive {
  const query = useQuery<{ flowRun: FlowRun & { states: StateRecord[]; flow: { tasks: FlowTask[]; edges: FlowEdge[] } } }>(FLOW_RUN, { id });
  const [live, setLive] = useState<FlowRun | undefined>();
  const [deleted, setDeleted] = useState(false);
  const store = useRef(new Map<string, TaskRun>());
  const [taskVersion, setTaskVersion] = useState(0);
  const [taskTotal, setTaskTotal] = useState<number | null>(null);
  const [loadingTasks, setLoadingTasks] = useState(true);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const bump = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      setTaskVersion((v) => v + 1);
    }, 120);
  }, []);

  const loadTasks = useCallback(async (signal: { cancelled: boolean }) => {
    setLoadingTasks(true);
    let after: string | null = null;
    try {
      for (;;) {
        const page: { taskRuns: Connection<TaskRun> } = await request(TASK_RUNS, { flowRunId: id, first: after ? PAGE : FIRST_PAGE, after });
        if (signal.cancelled) return;
        if (page.taskRuns.totalCount != null) setTaskTotal(page.taskRuns.totalCount);
        if (mergeTaskRuns(store.current, page.taskRuns.nodes)) bump();
        if (!page.taskRuns.pageInfo.hasNextPage || !page.taskRuns.pageInfo.endCursor) break;
        after = page.taskRuns.pageInfo.endCursor;
      }
    } catch {
      /* the run query shows the error; the subscription keeps what it can */
    } finally {
      if (!signal.cancelled) setLoadingTasks(false);
    }
  }, [id, bump]);

  const refetchHistory = useThrottled(() => void query.refetch(), 500);

  // The run itself first (one small request), then the heavy reads: on a run with
  // thousands of task runs those would otherwise delay the first render.
  const started = query.data !== undefined || query.error != null;
  useEffect(() => {
    if (!started) return undefined;
    const signal = { cancelled: false };
    void loadTasks(signal);
    const offReconnect = onReconnect(() => void loadTasks(signal));
    const stop = subscribe<{ flowRun: { kind: string; flowRun: FlowRun | null; taskRuns: TaskRun[] } }>(FLOW_RUN_LIVE, { id }, {
      next: ({ flowRun: update }) => {
        if (update.kind === "deleted") {
          setDeleted(true);
          return;
        }
        if (update.flowRun) {
          const next = update.flowRun;
          setLive((prev) => (prev && prev.version > next.version ? prev : next));
          if (update.kind === "flow_run") refetchHistory();
        }
        if (update.taskRuns.length && mergeTaskRuns(store.current, update.taskRuns)) {
          setTaskTotal((t) => (t == null ? t : Math.max(t, store.current.size)));
          bump();
        }
      },
    });
    return () => {
      signal.cancelled = true;
      offReconnect();
      stop();
      if (pending.current) clearTimeout(pending.current);
    };
  }, [id, started, loadTasks, bump, refetchHistory]);

  const fromQuery = query.data?.flowRun;
  const run = !fromQuery ? live : !live || fromQuery.version >= live.version ? fromQuery : live;
  return {
    run,
    graph: fromQuery?.flow,
    states: fromQuery?.states ?? [],
    error: query.data ? null : query.error,
    deleted,
    taskRuns: store.current,
    taskVersion,
    taskTotal,
    loadingTasks,
    refetch: query.refetch,
  };
}
