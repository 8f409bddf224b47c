/** Every GraphQL document the UI sends, in one place (fields match `types.ts`). */

export const FLOW_RUN_FIELDS = `
  id flowId flowGroupId flowName name state stateType stateMessage stateTimestamp version
  runCount parameters labels scheduledStartTime startTime endTime autoScheduled agentId
  heartbeat created`;

export const TASK_RUN_FIELDS = `
  id taskSlug mapIndex state stateType stateMessage stateTimestamp version runCount
  startTime endTime`;

export const LOG_FIELDS = `id taskSlug mapIndex timestamp level levelName message name`;

const FLOW_SUMMARY_FIELDS = `
  id flowGroupId projectId projectName name version description labels schedule
  scheduleActive archived created`;

export const DASHBOARD = `
query Dashboard($since: DateTime!, $bucket: Int!, $now: DateTime!, $until: DateTime!) {
  runCounts(since: $since, bucketSeconds: $bucket, until: $until) { bucketStart state count }
  active: flowRuns(states: ["Submitted", "Running", "Cancelling", "Paused"], first: 20,
                   orderBy: STATE_TIMESTAMP_DESC) {
    totalCount nodes { ${FLOW_RUN_FIELDS} }
  }
  upcoming: flowRuns(states: ["Scheduled", "Pending"], first: 10, orderBy: SCHEDULED_START_TIME_ASC) {
    totalCount nodes { ${FLOW_RUN_FIELDS} agentMatch { covered missingLabels suggestion } }
  }
  late: flowRuns(states: ["Scheduled", "Pending"], scheduledBefore: $now, first: 1) { totalCount }
  failures: recentFailures(first: 8) {
    flowRun { id name flowName state } failedAt state message attempt restarted
    failureSummary { text total causes { taskSlug mapIndex taskRunName exceptionType message } }
  }
  agents { id name labels version lastHeartbeat created runsInFlight health }
  flows(first: 1) { totalCount }
}`;

export const RUN_FEED = `subscription RunFeed { runFeed { kind flowRunId state stateType occurred } }`;

export const PROJECTS = `query Projects { projects { id name description created flowCount } }`;

export const CREATE_PROJECT = `
mutation CreateProject($name: String!, $description: String) {
  createProject(name: $name, description: $description) { id name }
}`;

export const DELETE_PROJECT = `mutation DeleteProject($id: ID!) { deleteProject(id: $id) }`;

export const FLOWS = `
query Flows($search: String, $project: String, $first: Int!, $after: String, $includeArchived: Boolean! = false) {
  flows(search: $search, project: $project, first: $first, after: $after, includeArchived: $includeArchived) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ${FLOW_SUMMARY_FIELDS} }
  }
}`;

/** One request for the last runs of each flow on a page (aliases f0, f1, ...): runs
 * scheduled before `$asOf` only, so future scheduled runs never hide real outcomes. */
export function lastRunsQuery(groupIds: string[], perFlow: number): string {
  const parts = groupIds.map(
    (id, i) =>
      `f${i}: flowRuns(flowGroupId: ${JSON.stringify(id)}, first: ${perFlow}, scheduledBefore: $asOf, orderBy: SCHEDULED_START_TIME_DESC) {
        nodes { id name state stateType scheduledStartTime startTime endTime } }`,
  );
  return `query LastRuns($asOf: DateTime!) { ${parts.join("\n")} }`;
}

export const SET_SCHEDULE_ACTIVE = `
mutation SetScheduleActive($flowId: ID!, $active: Boolean!) {
  setScheduleActive(flowId: $flowId, active: $active) { id scheduleActive }
}`;

export const FLOW = `
query Flow($id: ID!) {
  flow(id: $id) {
    ${FLOW_SUMMARY_FIELDS} fingerprint parameterSchema storage runConfig
    tasks { id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description }
    edges { upstream downstream key mapped flatten }
    versions { id version created archived fingerprint }
    nextRunTimes(n: 5)
  }
}`;

export const FLOW_RUNS = `
query FlowRuns($flowGroupId: ID, $states: [String!], $first: Int!, $after: String,
               $orderBy: FlowRunOrder, $scheduledAfter: DateTime) {
  flowRuns(flowGroupId: $flowGroupId, states: $states, first: $first, after: $after,
           orderBy: $orderBy, scheduledAfter: $scheduledAfter) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ${FLOW_RUN_FIELDS} }
  }
}`;

export const CREATE_FLOW_RUN = `
mutation CreateFlowRun($input: CreateFlowRunInput!) {
  createFlowRun(input: $input) { id name state }
}`;

export const FLOW_RUN = `
query FlowRun($id: ID!) {
  flowRun(id: $id) {
    ${FLOW_RUN_FIELDS}
    states { id state stateType message timestamp startTime version }
    flow {
      id name
      tasks { id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description }
      edges { upstream downstream key mapped flatten }
    }
    taskRunSummary
  }
}`;

/** A run's per-task aggregate (counts by state): re-read while a run reports, cheap at any size. */
export const TASK_RUN_SUMMARY = `query TaskRunSummary($id: ID!) { flowRun(id: $id) { id taskRunSummary } }`;

/** Task runs as compact rows (one array per run, in the order of `fields`), paged. */
export const TASK_RUN_ROWS = `
query TaskRunRows($id: ID!, $first: Int!, $after: String, $taskSlug: String) {
  flowRun(id: $id) {
    taskRunRows(first: $first, after: $after, taskSlug: $taskSlug) {
      fields rows pageInfo { endCursor hasNextPage }
    }
  }
}`;

/** A task run by flow run and slug (+ map index): what its page shows, in one request. */
export const TASK_RUN = `
query TaskRun($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {
  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {
    ${TASK_RUN_FIELDS}
    states { id state stateType message timestamp startTime version }
    flowRun { ${FLOW_RUN_FIELDS} flow { id tasks { slug mapped } } }
    task { id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description }
    upstream { upstream downstream key mapped flatten }
    downstream { upstream downstream key mapped flatten }
  }
}`;

export const TASK_CHILDREN = `
query TaskChildren($id: ID!, $taskSlug: String!, $first: Int!, $after: String) {
  taskRun(flowRunId: $id, taskSlug: $taskSlug) {
    id
    children(first: $first, after: $after) { fields rows pageInfo { endCursor hasNextPage } }
  }
}`;

/** `taskRuns: false`: the first message ("snapshot") carries the run only; read the task
 * runs after it, and later messages carry what changed since. */
export const FLOW_RUN_LIVE = `
subscription FlowRunLive($id: ID!, $taskRuns: Boolean! = true) {
  flowRun(id: $id, taskRuns: $taskRuns) {
    kind
    flowRun { ${FLOW_RUN_FIELDS} }
    taskRuns { ${TASK_RUN_FIELDS} }
  }
}`;

export const LOGS = `
query Logs($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $first: Int!, $after: String) {
  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, first: $first, after: $after) {
    pageInfo { endCursor hasNextPage }
    nodes { ${LOG_FIELDS} }
  }
}`;

/** The newest lines: a log view opens at its tail. */
export const LOGS_TAIL = `
query LogsTail($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $last: Int!) {
  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, last: $last) {
    pageInfo { endCursor }
    nodes { ${LOG_FIELDS} }
  }
}`;

export const LOGS_LIVE = `
subscription LogsLive($flowRunId: ID!, $after: String) {
  logs(flowRunId: $flowRunId, after: $after) { ${LOG_FIELDS} }
}`;

export const SET_FLOW_RUN_STATES = `
mutation SetFlowRunStates($changes: [JSON!]!) {
  setFlowRunStates(changes: $changes) { accepted state code reason }
}`;

export const CANCEL_FLOW_RUN = `mutation Cancel($id: ID!) { cancelFlowRun(id: $id) { id state } }`;
export const RESTART_FLOW_RUN = `mutation Restart($id: ID!) { restartFlowRun(id: $id) { id state } }`;
export const DELETE_FLOW_RUN = `mutation Delete($id: ID!) { deleteFlowRun(id: $id) }`;

export const AGENTS = `
query Agents {
  agents {
    id name labels version lastHeartbeat created runsInFlight health problem
    recentRuns(first: 10) { id name flowName state scheduledStartTime startTime endTime }
  }
}`;
