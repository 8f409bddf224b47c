/** GraphQL documents of steering runs by hand: quick run, mark as, restart from, compare. */

export const QUICK_RUN_FLOW = `
query QuickRunFlow($id: ID!) {
  flow(id: $id) { id name archived parameterSchema labels }
}`;

export const QUICK_RUN = `
mutation QuickRun($input: CreateFlowRunInput!) {
  createFlowRun(input: $input) { id name state }
}`;

export const MARK_FLOW_RUN = `
mutation MarkFlowRun($id: ID!, $state: String!, $reason: String!) {
  markFlowRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }
}`;

export const MARK_TASK_RUN = `
mutation MarkTaskRun($id: ID!, $state: String!, $reason: String!) {
  markTaskRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }
}`;

export const RESTART_FROM_PREVIEW = `
query RestartFromPreview($id: ID!, $fromTasks: [String!]) {
  flowRun(id: $id) {
    id restartPreview(fromTasks: $fromTasks) { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }
  }
}`;

export const RESTART_FROM = `
mutation RestartFrom($id: ID!, $fromTasks: [String!]!) {
  restartFlowRunFrom(id: $id, fromTasks: $fromTasks) { id state stateMessage }
}`;

export const OTHER_RUNS = `
query OtherRuns($flowGroupId: ID!, $first: Int!) {
  flowRuns(flowGroupId: $flowGroupId, first: $first, orderBy: SCHEDULED_START_TIME_DESC) {
    nodes { id name state scheduledStartTime }
  }
}`;

const SIDE = "taskRunId state message startTime endTime durationSeconds resultLocation runCount childCount children { state count }";

export const COMPARE_FLOW_RUNS = `
query CompareFlowRuns($a: ID!, $b: ID!) {
  compareFlowRuns(a: $a, b: $b) {
    a { id name flowId flowName state startTime endTime scheduledStartTime }
    b { id name flowId flowName state startTime endTime scheduledStartTime }
    sameFlow sameVersion differingTasks
    parameters { name a b inA inB differs }
    tasks { taskSlug mapped differences a { ${SIDE} } b { ${SIDE} } }
  }
}`;

export interface StateCount { state: string; count: number }
export interface TaskSide {
  taskRunId: string | null;
  state: string | null;
  message: string | null;
  startTime: string | null;
  endTime: string | null;
  durationSeconds: number | null;
  resultLocation: string | null;
  runCount: number;
  childCount: number;
  children: StateCount[];
}
export interface TaskPair { taskSlug: string; mapped: boolean; differences: string[]; a: TaskSide | null; b: TaskSide | null }
export interface ParameterPair { name: string; a: unknown; b: unknown; inA: boolean; inB: boolean; differs: boolean }
export interface ComparedRun { id: string; name: string; flowId: string; flowName: string; state: string; startTime: string | null; endTime: string | null; scheduledStartTime: string }
export interface Comparison {
  a: ComparedRun;
  b: ComparedRun;
  sameFlow: boolean;
  sameVersion: boolean;
  differingTasks: number;
  parameters: ParameterPair[];
  tasks: TaskPair[];
}
