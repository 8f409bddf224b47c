/** GraphQL documents and types of the flow page's Schedule and Backfills tabs. */
import type { JsonObject } from "./types";

export interface ScheduleClock {
  index: number;
  kind: string;
  intervalSeconds: number | null;
  cron: string | null;
  dayOr: boolean | null;
  rrule: string | null;
  timezone: string | null;
  startDate: string | null;
  endDate: string | null;
  parameterDefaults: JsonObject;
  labels: string[];
}

export interface FlowSchedule {
  flowGroupId: string;
  flowId: string;
  source: "code" | "override";
  overridden: boolean;
  overriddenAt: string | null;
  active: boolean;
  clocks: ScheduleClock[];
  parameterSchema: JsonObject;
  nextTimes: string[];
}

export interface ClockInput {
  kind: string;
  intervalSeconds?: number | null;
  cron?: string | null;
  dayOr?: boolean;
  rrule?: string | null;
  timezone?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  parameterDefaults?: JsonObject | null;
  labels?: string[];
}

const SCHEDULE_FIELDS = `flowGroupId flowId source overridden overriddenAt active parameterSchema
  clocks { index kind intervalSeconds cron dayOr rrule timezone startDate endDate parameterDefaults labels }
  nextTimes(n: 10)`;

export const FLOW_SCHEDULE = `
query FlowSchedule($flowId: ID!) {
  flowSchedule(flowId: $flowId) { ${SCHEDULE_FIELDS} }
}`;

export const SCHEDULE_PREVIEW = `
query SchedulePreview($clock: ScheduleClockInput!, $flowId: ID) {
  schedulePreview(clock: $clock, flowId: $flowId, n: 10) { times error }
}`;

export const ADD_SCHEDULE_CLOCK = `
mutation AddScheduleClock($flowId: ID!, $clock: ScheduleClockInput!) {
  addScheduleClock(flowId: $flowId, clock: $clock) { ${SCHEDULE_FIELDS} }
}`;

export const UPDATE_SCHEDULE_CLOCK = `
mutation UpdateScheduleClock($flowId: ID!, $index: Int!, $clock: ScheduleClockInput!) {
  updateScheduleClock(flowId: $flowId, index: $index, clock: $clock) { ${SCHEDULE_FIELDS} }
}`;

export const REMOVE_SCHEDULE_CLOCK = `
mutation RemoveScheduleClock($flowId: ID!, $index: Int!) {
  removeScheduleClock(flowId: $flowId, index: $index) { ${SCHEDULE_FIELDS} }
}`;

export const RESET_FLOW_SCHEDULE = `
mutation ResetFlowSchedule($flowId: ID!) {
  resetFlowSchedule(flowId: $flowId) { ${SCHEDULE_FIELDS} }
}`;

export interface BackfillTime {
  start: string;
  exists: boolean;
}

export interface BackfillPreview {
  times: number;
  existing: number;
  new: number;
  maxRuns: number;
  first: BackfillTime[];
  last: BackfillTime[];
}

export interface Backfill {
  id: string;
  flowId: string;
  flowName: string;
  start: string;
  end: string;
  maxConcurrent: number;
  total: number;
  skipped: number;
  createdRuns: number;
  finished: number;
  state: string;
  created: string;
  ended: string | null;
  counts: { state: string; count: number }[];
}

const BACKFILL_FIELDS = `id flowId flowName start end maxConcurrent total skipped createdRuns finished state created ended
  counts { state count }`;

export const BACKFILL_PREVIEW = `
query BackfillPreview($flowId: ID!, $start: DateTime!, $end: DateTime!) {
  backfillPreview(flowId: $flowId, start: $start, end: $end) {
    times existing new maxRuns first { start exists } last { start exists }
  }
}`;

export const CREATE_BACKFILL = `
mutation CreateBackfill($flowId: ID!, $start: DateTime!, $end: DateTime!, $maxConcurrent: Int!) {
  createBackfill(flowId: $flowId, start: $start, end: $end, maxConcurrent: $maxConcurrent) { ${BACKFILL_FIELDS} }
}`;

export const FLOW_BACKFILLS = `
query FlowBackfills($flowId: ID!) {
  backfills(flowId: $flowId) { ${BACKFILL_FIELDS} }
}`;

export const BACKFILL = `
query Backfill($id: ID!) {
  backfill(id: $id) {
    ${BACKFILL_FIELDS}
    runs(first: 200) { id name state stateType scheduledStartTime startTime endTime }
  }
}`;

export const CANCEL_BACKFILL = `
mutation CancelBackfill($id: ID!) {
  cancelBackfill(id: $id) { ${BACKFILL_FIELDS} }
}`;
