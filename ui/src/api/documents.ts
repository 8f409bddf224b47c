/**
 * The core GraphQL documents the UI sends (pages add theirs in `*Documents.ts`). Each is a
 * `graphql()` call that GraphQL Code Generator reads (`npm run codegen`): it returns the
 * document string typed with its result and variables (src/gql/), so `useQuery`,
 * `request` and `subscribe` know what they get. Shared selections are fragments, whose
 * generated types `types.ts` re-exports.
 */
import { graphql } from "../gql";
import { LastRunFieldsFragmentDoc, TypedDocumentString, type LastRunFieldsFragment } from "../gql/graphql";
import type { TypedDocument } from "./client";

graphql(`
fragment FlowRunFields on FlowRun {
  id flowId flowGroupId flowName name state stateType stateMessage stateTimestamp version
  runCount parameters labels scheduledStartTime startTime endTime autoScheduled agentId
  heartbeat created
}`);

graphql(`
fragment TaskRunFields on TaskRun {
  id taskSlug mapIndex state stateType stateMessage stateTimestamp version runCount
  startTime endTime
}`);

graphql(`fragment LogFields on Log { id taskSlug mapIndex timestamp level levelName message name }`);

graphql(`
fragment FlowSummaryFields on Flow {
  id flowGroupId projectId projectName name version description labels schedule
  scheduleActive archived created
}`);

graphql(`
fragment FlowTaskFields on FlowTask {
  id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description
}`);

graphql(`fragment FlowEdgeFields on FlowGraphEdge { upstream downstream key mapped flatten }`);

graphql(`fragment StateRecordFields on StateRecord { id state stateType message timestamp startTime version }`);

export const DASHBOARD = graphql(`
query Dashboard($since: DateTime!, $bucket: Int!, $now: DateTime!, $until: DateTime!) {
  runCounts(since: $since, bucketSeconds: $bucket, until: $until) { bucketStart state count }
  active: flowRuns(states: ["Submitted", "Running", "Cancelling", "Paused"], first: 20,
                   orderBy: STATE_TIMESTAMP_DESC) {
    totalCount nodes { ...FlowRunFields }
  }
  upcoming: flowRuns(states: ["Scheduled", "Pending"], first: 10, orderBy: SCHEDULED_START_TIME_ASC) {
    totalCount nodes { ...FlowRunFields agentMatch { covered missingLabels suggestion } }
  }
  late: flowRuns(states: ["Scheduled", "Pending"], scheduledBefore: $now, first: 1) { totalCount }
  failures: recentFailures(first: 8) {
    flowRun { id name flowName state } failedAt state message attempt restarted
    failureSummary { text total causes { taskSlug mapIndex taskRunName exceptionType message } }
  }
  agents { id name labels version lastHeartbeat created runsInFlight health }
  flows(first: 1) { totalCount }
}`);

export const RUN_FEED = graphql(`subscription RunFeed { runFeed { kind flowRunId state stateType occurred } }`);

export const PROJECTS = graphql(`query Projects { projects { id name description created flowCount } }`);

export const CREATE_PROJECT = graphql(`
mutation CreateProject($name: String!, $description: String) {
  createProject(name: $name, description: $description) { id name }
}`);

export const DELETE_PROJECT = graphql(`mutation DeleteProject($id: ID!) { deleteProject(id: $id) }`);

export const FLOWS = graphql(`
query Flows($search: String, $project: String, $first: Int!, $after: String, $includeArchived: Boolean! = false) {
  flows(search: $search, project: $project, first: $first, after: $after, includeArchived: $includeArchived) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ...FlowSummaryFields }
  }
}`);

graphql(`fragment LastRunFields on FlowRun { id name state stateType scheduledStartTime startTime endTime }`);

/** The last runs of each flow on a page, by alias (`f0`, `f1`, ... in the page's order). */
export type LastRuns = Record<string, { nodes: LastRunFieldsFragment[] } | undefined>;

/** One request for the last runs of each flow on a page (aliases f0, f1, ...): runs
 * scheduled before `$asOf` only, so future scheduled runs never hide real outcomes.
 *
 * The one document built at run time (one alias per flow), so codegen cannot see it: its
 * result type is declared here from its fragment's generated type, and
 * tests/server/api/test_schema_contract.py validates what it builds. */
export function lastRunsQuery(groupIds: string[], perFlow: number): TypedDocument<LastRuns, { asOf: string }> {
  const parts = groupIds.map(
    (id, i) =>
      `f${i}: flowRuns(flowGroupId: ${JSON.stringify(id)}, first: ${perFlow}, scheduledBefore: $asOf, orderBy: SCHEDULED_START_TIME_DESC) {
        nodes { ...LastRunFields } }`,
  );
  return new TypedDocumentString(`query LastRuns($asOf: DateTime!) { ${parts.join("\n")} }\n${LastRunFieldsFragmentDoc}`);
}

export const SET_SCHEDULE_ACTIVE = graphql(`
mutation SetScheduleActive($flowId: ID!, $active: Boolean!) {
  setScheduleActive(flowId: $flowId, active: $active) { id scheduleActive }
}`);

export const FLOW = graphql(`
query Flow($id: ID!) {
  flow(id: $id) {
    ...FlowSummaryFields fingerprint parameterSchema storage runConfig
    tasks { ...FlowTaskFields }
    edges { ...FlowEdgeFields }
    versions { id version created archived fingerprint }
    nextRunTimes(n: 5)
  }
}`);

export const FLOW_RUNS = graphql(`
query FlowRuns($flowGroupId: ID, $states: [String!], $first: Int!, $after: String,
               $orderBy: FlowRunOrder, $scheduledAfter: DateTime) {
  flowRuns(flowGroupId: $flowGroupId, states: $states, first: $first, after: $after,
           orderBy: $orderBy, scheduledAfter: $scheduledAfter) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ...FlowRunFields }
  }
}`);

export const CREATE_FLOW_RUN = graphql(`
mutation CreateFlowRun($input: CreateFlowRunInput!) {
  createFlowRun(input: $input) { id name state }
}`);

export const FLOW_RUN = graphql(`
query FlowRun($id: ID!) {
  flowRun(id: $id) {
    ...FlowRunFields
    states { ...StateRecordFields }
    flow {
      id name
      tasks { ...FlowTaskFields }
      edges { ...FlowEdgeFields }
    }
    taskRunSummary
  }
}`);

/** A run's per-task aggregate (counts by state): re-read while a run reports, cheap at any size. */
export const TASK_RUN_SUMMARY = graphql(`query TaskRunSummary($id: ID!) { flowRun(id: $id) { id taskRunSummary } }`);

/** Task runs as compact rows (one array per run, in the order of `fields`), paged. */
export const TASK_RUN_ROWS = graphql(`
query TaskRunRows($id: ID!, $first: Int!, $after: String, $taskSlug: String) {
  flowRun(id: $id) {
    taskRunRows(first: $first, after: $after, taskSlug: $taskSlug) {
      fields rows pageInfo { endCursor hasNextPage }
    }
  }
}`);

/** A task run by flow run and slug (+ map index): what its page shows, in one request. */
export const TASK_RUN = graphql(`
query TaskRun($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {
  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {
    ...TaskRunFields
    states { ...StateRecordFields }
    flowRun { ...FlowRunFields flow { id tasks { slug mapped } } }
    task { ...FlowTaskFields }
    upstream { ...FlowEdgeFields }
    downstream { ...FlowEdgeFields }
  }
}`);

export const TASK_CHILDREN = graphql(`
query TaskChildren($id: ID!, $taskSlug: String!, $first: Int!, $after: String) {
  taskRun(flowRunId: $id, taskSlug: $taskSlug) {
    id
    children(first: $first, after: $after) { fields rows pageInfo { endCursor hasNextPage } }
  }
}`);

/** `taskRuns: false`: the first message ("snapshot") carries the run only; read the task
 * runs after it, and later messages carry what changed since. */
export const FLOW_RUN_LIVE = graphql(`
subscription FlowRunLive($id: ID!, $taskRuns: Boolean! = true) {
  flowRun(id: $id, taskRuns: $taskRuns) {
    kind
    flowRun { ...FlowRunFields }
    taskRuns { ...TaskRunFields }
  }
}`);

export const LOGS = graphql(`
query Logs($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $first: Int!, $after: String) {
  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, first: $first, after: $after) {
    pageInfo { endCursor hasNextPage }
    nodes { ...LogFields }
  }
}`);

/** The newest lines: a log view opens at its tail. */
export const LOGS_TAIL = graphql(`
query LogsTail($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $last: Int!) {
  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, last: $last) {
    pageInfo { endCursor }
    nodes { ...LogFields }
  }
}`);

export const LOGS_LIVE = graphql(`
subscription LogsLive($flowRunId: ID!, $after: String) {
  logs(flowRunId: $flowRunId, after: $after) { ...LogFields }
}`);

export const SET_FLOW_RUN_STATES = graphql(`
mutation SetFlowRunStates($changes: [JSON!]!) {
  setFlowRunStates(changes: $changes) { accepted state code reason }
}`);

export const CANCEL_FLOW_RUN = graphql(`mutation Cancel($id: ID!) { cancelFlowRun(id: $id) { id state } }`);
export const RESTART_FLOW_RUN = graphql(`mutation Restart($id: ID!) { restartFlowRun(id: $id) { id state } }`);
export const DELETE_FLOW_RUN = graphql(`mutation Delete($id: ID!) { deleteFlowRun(id: $id) }`);

export const AGENTS = graphql(`
query Agents {
  agents {
    id name labels version lastHeartbeat created runsInFlight health problem
    recentRuns(first: 10) { id name flowName state scheduledStartTime startTime endTime }
  }
}`);
