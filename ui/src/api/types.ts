/** The shapes the UI reads from the GraphQL API (camelCase, as the server sends them). */
import type {
  AgentsQuery,
  DashboardQuery,
  FlowEdgeFieldsFragment,
  FlowQuery,
  FlowRunFieldsFragment,
  FlowSummaryFieldsFragment,
  FlowTaskFieldsFragment,
  LogFieldsFragment,
  ProjectsQuery,
  StateRecordFieldsFragment,
  TaskRunFieldsFragment,
} from "../gql/graphql";

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

/*
 * What the UI reads is typed by the documents that read it: these names are the generated
 * types (src/gql/, `npm run codegen`) of the shared fragments and queries in
 * `documents.ts`, so a field added to a fragment is here at once.
 */
export type Project = ProjectsQuery["projects"][number];
export type FlowTask = FlowTaskFieldsFragment;
export type FlowEdge = FlowEdgeFieldsFragment;
export type FlowSummary = FlowSummaryFieldsFragment;
export type Flow = NonNullable<FlowQuery["flow"]>;
export type StateRecord = StateRecordFieldsFragment;
export type FlowRun = FlowRunFieldsFragment;
export type TaskRun = TaskRunFieldsFragment;
export type LogLine = LogFieldsFragment;
export type RunCount = DashboardQuery["runCounts"][number];

/** An agent as the Agents page reads it; other pages read fewer fields. */
export type Agent = Omit<AgentsQuery["agents"][number], "problem" | "recentRuns"> &
  Partial<Pick<AgentsQuery["agents"][number], "problem" | "recentRuns">>;

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
