/** GraphQL documents and types of the flow page's Schedule and Backfills tabs. */
import { graphql } from "../gql";
import type {
  BackfillFieldsFragment,
  BackfillPreviewQuery,
  FlowScheduleFieldsFragment,
  ScheduleClockInput,
} from "../gql/graphql";

/** A flow's schedule; `source` is "code" or "override". */
export type FlowSchedule = FlowScheduleFieldsFragment;
export type ScheduleClock = FlowSchedule["clocks"][number];

export type ClockInput = ScheduleClockInput;

graphql(`
fragment FlowScheduleFields on FlowSchedule {
  flowGroupId flowId source overridden overriddenAt active parameterSchema version
  clocks { index kind intervalSeconds cron dayOr rrule timezone startDate endDate parameterDefaults labels }
  nextTimes(n: 10)
}`);

export const FLOW_SCHEDULE = graphql(`
query FlowSchedule($flowId: ID!) {
  flowSchedule(flowId: $flowId) { ...FlowScheduleFields }
}`);

export const SCHEDULE_PREVIEW = graphql(`
query SchedulePreview($clock: ScheduleClockInput!, $flowId: ID) {
  schedulePreview(clock: $clock, flowId: $flowId, n: 10) { times error }
}`);

export const ADD_SCHEDULE_CLOCK = graphql(`
mutation AddScheduleClock($flowId: ID!, $clock: ScheduleClockInput!, $expectedVersion: String) {
  addScheduleClock(flowId: $flowId, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }
}`);

export const UPDATE_SCHEDULE_CLOCK = graphql(`
mutation UpdateScheduleClock($flowId: ID!, $index: Int!, $clock: ScheduleClockInput!, $expectedVersion: String) {
  updateScheduleClock(flowId: $flowId, index: $index, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }
}`);

export const REMOVE_SCHEDULE_CLOCK = graphql(`
mutation RemoveScheduleClock($flowId: ID!, $index: Int!, $expectedVersion: String) {
  removeScheduleClock(flowId: $flowId, index: $index, expectedVersion: $expectedVersion) { ...FlowScheduleFields }
}`);

export const RESET_FLOW_SCHEDULE = graphql(`
mutation ResetFlowSchedule($flowId: ID!, $expectedVersion: String) {
  resetFlowSchedule(flowId: $flowId, expectedVersion: $expectedVersion) { ...FlowScheduleFields }
}`);

export type BackfillPreview = BackfillPreviewQuery["backfillPreview"];
export type BackfillTime = BackfillPreview["first"][number];

export type Backfill = BackfillFieldsFragment;

graphql(`
fragment BackfillFields on Backfill {
  id flowId flowName start end maxConcurrent total skipped createdRuns finished state created ended
  counts { state count }
}`);

export const BACKFILL_PREVIEW = graphql(`
query BackfillPreview($flowId: ID!, $start: DateTime!, $end: DateTime!) {
  backfillPreview(flowId: $flowId, start: $start, end: $end) {
    times existing new maxRuns first { start exists } last { start exists }
  }
}`);

export const CREATE_BACKFILL = graphql(`
mutation CreateBackfill($flowId: ID!, $start: DateTime!, $end: DateTime!, $maxConcurrent: Int!) {
  createBackfill(flowId: $flowId, start: $start, end: $end, maxConcurrent: $maxConcurrent) { ...BackfillFields }
}`);

export const FLOW_BACKFILLS = graphql(`
query FlowBackfills($flowId: ID!) {
  backfills(flowId: $flowId) { ...BackfillFields }
}`);

export const BACKFILL = graphql(`
query Backfill($id: ID!) {
  backfill(id: $id) {
    ...BackfillFields
    runs(first: 200) { id name state stateType scheduledStartTime startTime endTime }
  }
}`);

export const CANCEL_BACKFILL = graphql(`
mutation CancelBackfill($id: ID!) {
  cancelBackfill(id: $id) { ...BackfillFields }
}`);
