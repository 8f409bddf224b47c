/** GraphQL documents of steering runs by hand: quick run, mark as, restart from, compare. */
import { graphql } from "../gql";
import type { CompareFlowRunsQuery, TaskSideFieldsFragment } from "../gql/graphql";

export const QUICK_RUN_FLOW = graphql(`
query QuickRunFlow($id: ID!) {
  flow(id: $id) { id name archived parameterSchema labels }
}`);

export const QUICK_RUN = graphql(`
mutation QuickRun($input: CreateFlowRunInput!) {
  createFlowRun(input: $input) { id name state }
}`);

export const MARK_FLOW_RUN = graphql(`
mutation MarkFlowRun($id: ID!, $state: String!, $reason: String!) {
  markFlowRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }
}`);

export const MARK_TASK_RUN = graphql(`
mutation MarkTaskRun($id: ID!, $state: String!, $reason: String!) {
  markTaskRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }
}`);

export const RESTART_FROM_PREVIEW = graphql(`
query RestartFromPreview($id: ID!, $fromTasks: [String!]) {
  flowRun(id: $id) {
    id restartPreview(fromTasks: $fromTasks) { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }
  }
}`);

export const RESTART_FROM = graphql(`
mutation RestartFrom($id: ID!, $fromTasks: [String!]!) {
  restartFlowRunFrom(id: $id, fromTasks: $fromTasks) { id state stateMessage }
}`);

export const OTHER_RUNS = graphql(`
query OtherRuns($flowGroupId: ID!, $first: Int!) {
  flowRuns(flowGroupId: $flowGroupId, first: $first, orderBy: SCHEDULED_START_TIME_DESC) {
    nodes { id name state scheduledStartTime }
  }
}`);

graphql(`
fragment TaskSideFields on TaskSide {
  taskRunId state message startTime endTime durationSeconds resultLocation runCount childCount children { state count }
}`);

export const COMPARE_FLOW_RUNS = graphql(`
query CompareFlowRuns($a: ID!, $b: ID!) {
  compareFlowRuns(a: $a, b: $b) {
    a { id name flowId flowName state startTime endTime scheduledStartTime }
    b { id name flowId flowName state startTime endTime scheduledStartTime }
    sameFlow sameVersion differingTasks
    parameters { name a b inA inB differs }
    tasks { taskSlug mapped differences a { ...TaskSideFields } b { ...TaskSideFields } }
  }
}`);

export type Comparison = CompareFlowRunsQuery["compareFlowRuns"];
export type ComparedRun = Comparison["a"];
export type ParameterPair = Comparison["parameters"][number];
export type TaskPair = Comparison["tasks"][number];
export type TaskSide = TaskSideFieldsFragment;
export type StateCount = TaskSide["children"][number];
