/** The shapes the UI reads from the GraphQL API (camelCase, as the server sends them). */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | null;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  created: string;
  flowCount: number;
}

export interface FlowTask {
  id: string;
  slug: string;
  name: string;
  type: string;
  mapped: boolean;
  tags: string[];
  retries: number;
  retryDelay: number | null;
  timeout: number | null;
  trigger: string;
  isParameter: boolean;
  isReference: boolean;
  description: string | null;
}

export interface FlowEdge {
  upstream: string;
  downstream: string;
  key: string | null;
  mapped: boolean;
  flatten: boolean;
}

export interface FlowSummary {
  id: string;
  flowGroupId: string;
  projectId: string;
  projectName: string;
  name: string;
  version: number;
  description: string | null;
  labels: string[];
  schedule: JsonObject | null;
  scheduleActive: boolean;
  archived: boolean;
  created: string;
}

export interface Flow extends FlowSummary {
  fingerprint: string;
  parameterSchema: JsonObject;
  storage: JsonObject | null;
  runConfig: JsonObject;
  tasks: FlowTask[];
  edges: FlowEdge[];
  versions: { id: string; version: number; created: string; archived: boolean; fingerprint: string }[];
  /** The schedule's next start times (UTC), whether or not it is active. */
  nextRunTimes: string[];
}

export interface StateRecord {
  id: string;
  state: string;
  stateType: string;
  message: string | null;
  timestamp: string;
  startTime: string | null;
  version: number;
}

export interface FlowRun {
  id: string;
  flowId: string;
  flowGroupId: string;
  flowName: string;
  name: string;
  state: string;
  stateType: string;
  stateMessage: string | null;
  stateTimestamp: string;
  version: number;
  runCount: number;
  parameters: JsonObject;
  labels: string[];
  scheduledStartTime: string;
  startTime: string | null;
  endTime: string | null;
  autoScheduled: boolean;
  agentId: string | null;
  heartbeat: string | null;
  created: string;
}

export interface TaskRun {
  id: string;
  taskSlug: string;
  mapIndex: number;
  state: string;
  stateType: string;
  stateMessage: string | null;
  stateTimestamp: string;
  version: number;
  runCount: number;
  startTime: string | null;
  endTime: string | null;
}

export interface LogLine {
  id: string;
  taskSlug: string | null;
  mapIndex: number | null;
  timestamp: string;
  level: number;
  levelName: string;
  message: string;
  name: string | null;
}

export interface Agent {
  id: string;
  name: string;
  labels: string[];
  version: string | null;
  lastHeartbeat: string | null;
  created: string;
  runsInFlight: number;
  /** HEALTHY, LATE or UNHEALTHY, judged by the server; STOPPED after a clean stop. */
  health?: "HEALTHY" | "LATE" | "UNHEALTHY" | "STOPPED" | null;
  /** What keeps it from starting runs, as its heartbeats say (its Docker daemon is down). */
  problem?: string | null;
  recentRuns?: Pick<FlowRun, "id" | "name" | "flowName" | "state" | "scheduledStartTime" | "startTime" | "endTime">[];
}

export interface RunCount {
  bucketStart: string;
  state: string;
  count: number;
}

/** A page of task runs as compact rows: one array per run, in the order of `fields`. */
export interface TaskRunRows {
  fields: string[];
  rows: unknown[][];
  pageInfo: PageInfo;
}

/** One task node of a run: its own task run and its mapped children aggregated. */
export interface TaskSummaryEntry {
  taskSlug: string;
  parent: TaskRun | null;
  children: {
    count: number;
    /** How many children are in each state (by state name). */
    states: Record<string, number>;
    start: string | null;
    lastStart: string | null;
    end: string | null;
  } | null;
}
