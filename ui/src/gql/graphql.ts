/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** An action; give the fields its `type` uses. */
export type ActionInput = {
  /** start_flow_run: the flow to start; pause_schedule: the flow to pause (default: the trigger's). */
  flowGroupId?: string | number | null | undefined;
  /** webhook: extra headers (object of strings). */
  headers?: any;
  /** webhook, slack, email: message template ({flow}, {link}...). */
  message?: string | null | undefined;
  /** start_flow_run: the run's parameters. */
  parameters?: any;
  /** email: subject template. */
  subject?: string | null | undefined;
  /** email: recipients. */
  to?: Array<string> | null | undefined;
  /** webhook, slack, email, start_flow_run, cancel_flow_run or pause_schedule. */
  type: string;
  /** webhook, slack: http(s) URL. */
  url?: string | null | undefined;
};

/** HEALTHY: heartbeat within 2 intervals; LATE: within 6; UNHEALTHY: longer ago (PROCTOR_SERVER_SERVICES_AGENT_MONITOR_*); STOPPED: it stopped cleanly and has not come back. */
export type AgentHealth =
  | 'HEALTHY'
  | 'LATE'
  | 'STOPPED'
  | 'UNHEALTHY';

/** A new automation. */
export type AutomationInput = {
  actions: Array<ActionInput>;
  description?: string | null | undefined;
  enabled?: boolean;
  name: string;
  /** Webhook signing secret (16-100 chars); generated if absent. */
  secret?: string | null | undefined;
  trigger: TriggerInput;
};

/** Changes to an automation (absent fields stay as they are). */
export type AutomationPatch = {
  actions?: Array<ActionInput> | null | undefined;
  description?: string | null | undefined;
  enabled?: boolean | null | undefined;
  name?: string | null | undefined;
  /** Replace the signing secret with a new generated one. */
  rotateSecret?: boolean;
  secret?: string | null | undefined;
  trigger?: TriggerInput | null | undefined;
};

/** Start a flow run: by flow id, or by project and flow name. */
export type CreateFlowRunInput = {
  /** Environment variables laid over the flow's run config for this run (NAME: value). Stored with the run and readable by the team: use secrets for credentials. */
  env?: any;
  flowId?: string | number | null | undefined;
  flowName?: string | null | undefined;
  /** A repeat with the same key returns the same run. */
  idempotencyKey?: string | null | undefined;
  labels?: Array<string> | null | undefined;
  name?: string | null | undefined;
  parameters?: any;
  project?: string | null | undefined;
  /** When to start; now if absent. */
  scheduledStartTime?: string | null | undefined;
};

/** Orderings of the flow-runs list. */
export type FlowRunOrder =
  | 'CREATED_ASC'
  | 'CREATED_DESC'
  | 'DURATION_ASC'
  | 'DURATION_DESC'
  | 'END_TIME_ASC'
  | 'END_TIME_DESC'
  | 'NAME_ASC'
  | 'NAME_DESC'
  | 'SCHEDULED_START_TIME_ASC'
  | 'SCHEDULED_START_TIME_DESC'
  | 'START_TIME_ASC'
  | 'START_TIME_DESC'
  | 'STATE_ASC'
  | 'STATE_DESC'
  | 'STATE_TIMESTAMP_ASC'
  | 'STATE_TIMESTAMP_DESC';

/** A clock as the schedule form sends it. */
export type ScheduleClockInput = {
  /** cron: 5 fields, or 6 with seconds first. */
  cron?: string | null | undefined;
  /** cron: day-of-month OR day-of-week (the cron default). */
  dayOr?: boolean;
  endDate?: string | null | undefined;
  /** interval: seconds between runs. */
  intervalSeconds?: number | null | undefined;
  /** interval, cron or rrule. */
  kind: string;
  labels?: Array<string> | null | undefined;
  /** Parameter values for runs of this clock. */
  parameterDefaults?: any;
  /** rrule: RFC 5545 text. */
  rrule?: string | null | undefined;
  /** First allowed time; an interval's anchor. */
  startDate?: string | null | undefined;
  /** IANA zone; UTC if none. */
  timezone?: string | null | undefined;
};

/** A trigger; give the fields its `type` uses. */
export type TriggerInput = {
  /** agent_unhealthy: only these agents (all if none). */
  agentNames?: Array<string> | null | undefined;
  /** task_run_failures: failures in a row (consecutive runs). */
  count?: number | null | undefined;
  /** Only these flows (flow group ids, or any version's id). */
  flowGroupIds?: Array<string | number> | null | undefined;
  /** sla_breach: late_start, long_run, missed_run (all if none). */
  kinds?: Array<string> | null | undefined;
  /** Only flows of this project (name or id). */
  project?: string | null | undefined;
  /** flow_run_state: state names or families (e.g. Failed). */
  states?: Array<string> | null | undefined;
  /** Only flows carrying one of these labels. */
  tags?: Array<string> | null | undefined;
  /** task_run_failures: only these tasks (all if none). */
  taskSlugs?: Array<string> | null | undefined;
  /** flow_run_state, sla_breach, agent_unhealthy or task_run_failures. */
  type: string;
};

export type DeleteAgentMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteAgentMutation = { deleteAgent: string };

export type AutomationFieldsFragment = { id: string, name: string, description: string | null, enabled: boolean, created: string, updated: string, trigger: { type: string, states: Array<string>, projectId: string | null, flowGroupIds: Array<string>, tags: Array<string>, kinds: Array<string>, agentNames: Array<string>, count: number | null, taskSlugs: Array<string> }, actions: Array<{ type: string, url: string | null, headers: any, message: string | null, to: Array<string>, subject: string | null, flowGroupId: string | null, parameters: any }> };

export type NotificationFieldsFragment = { id: string, automationId: string | null, automationName: string, actionIndex: number, actionType: string, triggerKey: string, event: any, flowRunId: string | null, test: boolean, status: string, attemptCount: number, lastError: string | null, nextAttemptAt: string | null, deliveredAt: string | null, created: string, updated: string, attempts: Array<{ number: number, success: boolean, statusCode: number | null, error: string | null, detail: string | null, started: string, durationMs: number }> };

export type AutomationsQueryVariables = Exact<{ [key: string]: never; }>;


export type AutomationsQuery = { automations: Array<{ id: string, name: string, description: string | null, enabled: boolean, created: string, updated: string, trigger: { type: string, states: Array<string>, projectId: string | null, flowGroupIds: Array<string>, tags: Array<string>, kinds: Array<string>, agentNames: Array<string>, count: number | null, taskSlugs: Array<string> }, actions: Array<{ type: string, url: string | null, headers: any, message: string | null, to: Array<string>, subject: string | null, flowGroupId: string | null, parameters: any }> }> };

export type AutomationQueryVariables = Exact<{
  id: string | number;
}>;


export type AutomationQuery = { automation: { id: string, name: string, description: string | null, enabled: boolean, created: string, updated: string, trigger: { type: string, states: Array<string>, projectId: string | null, flowGroupIds: Array<string>, tags: Array<string>, kinds: Array<string>, agentNames: Array<string>, count: number | null, taskSlugs: Array<string> }, actions: Array<{ type: string, url: string | null, headers: any, message: string | null, to: Array<string>, subject: string | null, flowGroupId: string | null, parameters: any }> } };

export type AutomationChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type AutomationChoicesQuery = { projects: Array<{ id: string, name: string }>, flows: { nodes: Array<{ id: string, flowGroupId: string, name: string, projectName: string }> }, agents: Array<{ id: string, name: string }> };

export type CreateAutomationMutationVariables = Exact<{
  input: AutomationInput;
}>;


export type CreateAutomationMutation = { createAutomation: { id: string, name: string, signingSecret: string | null } };

export type UpdateAutomationMutationVariables = Exact<{
  id: string | number;
  input: AutomationPatch;
}>;


export type UpdateAutomationMutation = { updateAutomation: { id: string, name: string, signingSecret: string | null } };

export type DeleteAutomationMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteAutomationMutation = { deleteAutomation: boolean };

export type SetAutomationEnabledMutationVariables = Exact<{
  id: string | number;
  enabled: boolean;
}>;


export type SetAutomationEnabledMutation = { setAutomationEnabled: { id: string, enabled: boolean } };

export type SendTestNotificationMutationVariables = Exact<{
  automationId: string | number;
}>;


export type SendTestNotificationMutation = { sendTestNotification: Array<{ id: string, automationId: string | null, automationName: string, actionIndex: number, actionType: string, triggerKey: string, event: any, flowRunId: string | null, test: boolean, status: string, attemptCount: number, lastError: string | null, nextAttemptAt: string | null, deliveredAt: string | null, created: string, updated: string, attempts: Array<{ number: number, success: boolean, statusCode: number | null, error: string | null, detail: string | null, started: string, durationMs: number }> }> };

export type NotificationsQueryVariables = Exact<{
  automationId?: string | number | null | undefined;
  status?: string | null | undefined;
  since?: string | null | undefined;
  flowRunId?: string | number | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type NotificationsQuery = { notifications: { totalCount: number | null, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, automationId: string | null, automationName: string, actionIndex: number, actionType: string, triggerKey: string, event: any, flowRunId: string | null, test: boolean, status: string, attemptCount: number, lastError: string | null, nextAttemptAt: string | null, deliveredAt: string | null, created: string, updated: string, attempts: Array<{ number: number, success: boolean, statusCode: number | null, error: string | null, detail: string | null, started: string, durationMs: number }> }> } };

export type FlowSlaQueryVariables = Exact<{
  flowId: string | number;
}>;


export type FlowSlaQuery = { flowSla: { flowGroupId: string, lateStartSeconds: number | null, longRunSeconds: number | null, missedRunSeconds: number | null, updated: string | null } };

export type SetFlowSlaMutationVariables = Exact<{
  flowId: string | number;
  lateStartSeconds?: number | null | undefined;
  longRunSeconds?: number | null | undefined;
  missedRunSeconds?: number | null | undefined;
}>;


export type SetFlowSlaMutation = { setFlowSla: { flowGroupId: string, lateStartSeconds: number | null, longRunSeconds: number | null, missedRunSeconds: number | null, updated: string | null } };

export type SlaBreachesQueryVariables = Exact<{
  flowId?: string | number | null | undefined;
  since?: string | null | undefined;
  first: number;
}>;


export type SlaBreachesQuery = { slaBreaches: { totalCount: number | null, nodes: Array<{ id: string, flowGroupId: string, flowName: string, flowRunId: string | null, kind: string, subject: string, thresholdSeconds: number, expectedAt: string, detected: string, message: string | null }> } };

export type ConcurrencyLimitFieldsFragment = { id: string, kind: string, key: string, limit: number, inUse: number, created: string | null, updated: string | null, holders: Array<{ flowRunId: string, flowRunName: string, taskRunId: string | null, taskSlug: string | null, mapIndex: number | null, state: string, acquired: string }> };

export type ConcurrencyLimitsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConcurrencyLimitsQuery = { concurrencyLimits: Array<{ id: string, kind: string, key: string, limit: number, inUse: number, created: string | null, updated: string | null, holders: Array<{ flowRunId: string, flowRunName: string, taskRunId: string | null, taskSlug: string | null, mapIndex: number | null, state: string, acquired: string }> }> };

export type SetConcurrencyLimitMutationVariables = Exact<{
  kind: string;
  key: string;
  limit: number;
}>;


export type SetConcurrencyLimitMutation = { setConcurrencyLimit: { id: string, kind: string, key: string, limit: number, inUse: number, created: string | null, updated: string | null, holders: Array<{ flowRunId: string, flowRunName: string, taskRunId: string | null, taskSlug: string | null, mapIndex: number | null, state: string, acquired: string }> } };

export type DeleteConcurrencyLimitMutationVariables = Exact<{
  kind: string;
  key: string;
}>;


export type DeleteConcurrencyLimitMutation = { deleteConcurrencyLimit: boolean };

export type ArtifactFieldsFragment = { id: string, key: string | null, type: string, description: string | null, data: any, flowRunId: string, flowRunName: string | null, flowName: string | null, taskRunId: string | null, taskSlug: string | null, mapIndex: number | null, created: string, updated: string };

export type TaskRunOutputsQueryVariables = Exact<{
  flowRunId: string | number;
  taskSlug: string;
  mapIndex: number;
}>;


export type TaskRunOutputsQuery = { taskRun: { id: string, artifacts: Array<{ id: string, key: string | null, type: string, description: string | null, data: any, flowRunId: string, flowRunName: string | null, flowName: string | null, taskRunId: string | null, taskSlug: string | null, mapIndex: number | null, created: string, updated: string }>, result: { location: string, size: number | null, serializer: string | null, resultType: string | null, preview: string | null, previewNote: string, loadSnippet: string } | null } };

export type ArtifactsPageQueryVariables = Exact<{
  key?: string | null | undefined;
  type?: string | null | undefined;
  latestPerKey: boolean;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ArtifactsPageQuery = { artifactsPage: { nodes: Array<{ id: string, key: string | null, type: string, description: string | null, data: any, flowRunId: string, flowRunName: string | null, flowName: string | null, taskRunId: string | null, taskSlug: string | null, mapIndex: number | null, created: string, updated: string }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type RunArtifactsPageQueryVariables = Exact<{
  flowRunId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type RunArtifactsPageQuery = { artifactsPage: { totalCount: number | null, nodes: Array<{ id: string, key: string | null, type: string, description: string | null, data: any, flowRunId: string, flowRunName: string | null, flowName: string | null, taskRunId: string | null, taskSlug: string | null, mapIndex: number | null, created: string, updated: string }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type FlowRunFieldsFragment = { id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string };

export type TaskRunFieldsFragment = { id: string, taskSlug: string, mapIndex: number, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, startTime: string | null, endTime: string | null };

export type LogFieldsFragment = { id: string, taskSlug: string | null, mapIndex: number | null, timestamp: string, level: number, levelName: string, message: string, name: string | null };

export type FlowSummaryFieldsFragment = { id: string, flowGroupId: string, projectId: string, projectName: string, name: string, version: number, description: string | null, labels: Array<string>, schedule: any, scheduleActive: boolean, archived: boolean, created: string };

export type FlowTaskFieldsFragment = { id: string, slug: string, name: string, type: string, mapped: boolean, tags: Array<string>, retries: number, retryDelay: number | null, timeout: number | null, trigger: string, isParameter: boolean, isReference: boolean, description: string | null };

export type FlowEdgeFieldsFragment = { upstream: string, downstream: string, key: string | null, mapped: boolean, flatten: boolean };

export type StateRecordFieldsFragment = { id: string, state: string, stateType: string, message: string | null, timestamp: string, startTime: string | null, version: number };

export type DashboardQueryVariables = Exact<{
  since: string;
  bucket: number;
  now: string;
  until: string;
}>;


export type DashboardQuery = { runCounts: Array<{ bucketStart: string, state: string, count: number }>, active: { totalCount: number | null, nodes: Array<{ id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string }> }, upcoming: { totalCount: number | null, nodes: Array<{ id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string, agentMatch: { covered: boolean, missingLabels: Array<string>, suggestion: string | null } | null }> }, late: { totalCount: number | null }, failures: Array<{ failedAt: string, state: string, message: string | null, attempt: number, restarted: boolean, flowRun: { id: string, name: string, flowName: string, state: string }, failureSummary: { text: string | null, total: number, causes: Array<{ taskSlug: string, mapIndex: number, taskRunName: string, exceptionType: string | null, message: string | null }> } }>, agents: Array<{ id: string, name: string, labels: Array<string>, version: string | null, lastHeartbeat: string | null, created: string, runsInFlight: number, health: AgentHealth }>, flows: { totalCount: number | null } };

export type RunFeedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type RunFeedSubscription = { runFeed: { kind: string, flowRunId: string | null, state: string | null, stateType: string | null, occurred: string } };

export type ProjectsQueryVariables = Exact<{ [key: string]: never; }>;


export type ProjectsQuery = { projects: Array<{ id: string, name: string, description: string | null, created: string, flowCount: number }> };

export type CreateProjectMutationVariables = Exact<{
  name: string;
  description?: string | null | undefined;
}>;


export type CreateProjectMutation = { createProject: { id: string, name: string } };

export type DeleteProjectMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteProjectMutation = { deleteProject: boolean };

export type FlowsQueryVariables = Exact<{
  search?: string | null | undefined;
  project?: string | null | undefined;
  first: number;
  after?: string | null | undefined;
  includeArchived?: boolean;
}>;


export type FlowsQuery = { flows: { totalCount: number | null, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, flowGroupId: string, projectId: string, projectName: string, name: string, version: number, description: string | null, labels: Array<string>, schedule: any, scheduleActive: boolean, archived: boolean, created: string }> } };

export type LastRunFieldsFragment = { id: string, name: string, state: string, stateType: string, scheduledStartTime: string, startTime: string | null, endTime: string | null };

export type SetScheduleActiveMutationVariables = Exact<{
  flowId: string | number;
  active: boolean;
}>;


export type SetScheduleActiveMutation = { setScheduleActive: { id: string, scheduleActive: boolean } };

export type FlowQueryVariables = Exact<{
  id: string | number;
}>;


export type FlowQuery = { flow: { fingerprint: string, parameterSchema: any, storage: any, runConfig: any, nextRunTimes: Array<string>, id: string, flowGroupId: string, projectId: string, projectName: string, name: string, version: number, description: string | null, labels: Array<string>, schedule: any, scheduleActive: boolean, archived: boolean, created: string, tasks: Array<{ id: string, slug: string, name: string, type: string, mapped: boolean, tags: Array<string>, retries: number, retryDelay: number | null, timeout: number | null, trigger: string, isParameter: boolean, isReference: boolean, description: string | null }>, edges: Array<{ upstream: string, downstream: string, key: string | null, mapped: boolean, flatten: boolean }>, versions: Array<{ id: string, version: number, created: string, archived: boolean, fingerprint: string }> } };

export type FlowRunsQueryVariables = Exact<{
  flowGroupId?: string | number | null | undefined;
  states?: Array<string> | string | null | undefined;
  first: number;
  after?: string | null | undefined;
  orderBy?: FlowRunOrder | null | undefined;
  scheduledAfter?: string | null | undefined;
}>;


export type FlowRunsQuery = { flowRuns: { totalCount: number | null, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string }> } };

export type CreateFlowRunMutationVariables = Exact<{
  input: CreateFlowRunInput;
}>;


export type CreateFlowRunMutation = { createFlowRun: { id: string, name: string, state: string } };

export type FlowRunQueryVariables = Exact<{
  id: string | number;
}>;


export type FlowRunQuery = { flowRun: { taskRunSummary: any, id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string, states: Array<{ id: string, state: string, stateType: string, message: string | null, timestamp: string, startTime: string | null, version: number }>, flow: { id: string, name: string, tasks: Array<{ id: string, slug: string, name: string, type: string, mapped: boolean, tags: Array<string>, retries: number, retryDelay: number | null, timeout: number | null, trigger: string, isParameter: boolean, isReference: boolean, description: string | null }>, edges: Array<{ upstream: string, downstream: string, key: string | null, mapped: boolean, flatten: boolean }> } } };

export type TaskRunSummaryQueryVariables = Exact<{
  id: string | number;
}>;


export type TaskRunSummaryQuery = { flowRun: { id: string, taskRunSummary: any } };

export type TaskRunRowsQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
  taskSlug?: string | null | undefined;
}>;


export type TaskRunRowsQuery = { flowRun: { taskRunRows: { fields: Array<string>, rows: any, pageInfo: { endCursor: string | null, hasNextPage: boolean } } } };

export type TaskRunQueryVariables = Exact<{
  flowRunId: string | number;
  taskSlug: string;
  mapIndex: number;
}>;


export type TaskRunQuery = { taskRun: { id: string, taskSlug: string, mapIndex: number, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, startTime: string | null, endTime: string | null, states: Array<{ id: string, state: string, stateType: string, message: string | null, timestamp: string, startTime: string | null, version: number }>, flowRun: { id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string, flow: { id: string, tasks: Array<{ slug: string, mapped: boolean }> } }, task: { id: string, slug: string, name: string, type: string, mapped: boolean, tags: Array<string>, retries: number, retryDelay: number | null, timeout: number | null, trigger: string, isParameter: boolean, isReference: boolean, description: string | null } | null, upstream: Array<{ upstream: string, downstream: string, key: string | null, mapped: boolean, flatten: boolean }>, downstream: Array<{ upstream: string, downstream: string, key: string | null, mapped: boolean, flatten: boolean }> } };

export type TaskChildrenQueryVariables = Exact<{
  id: string | number;
  taskSlug: string;
  first: number;
  after?: string | null | undefined;
}>;


export type TaskChildrenQuery = { taskRun: { id: string, children: { fields: Array<string>, rows: any, pageInfo: { endCursor: string | null, hasNextPage: boolean } } } };

export type FlowRunLiveSubscriptionVariables = Exact<{
  id: string | number;
  taskRuns?: boolean;
}>;


export type FlowRunLiveSubscription = { flowRun: { kind: string, flowRun: { id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string } | null, taskRuns: Array<{ id: string, taskSlug: string, mapIndex: number, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, startTime: string | null, endTime: string | null }> } };

export type LogsQueryVariables = Exact<{
  flowRunId: string | number;
  taskSlug?: string | null | undefined;
  mapIndex?: number | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type LogsQuery = { logs: { pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, taskSlug: string | null, mapIndex: number | null, timestamp: string, level: number, levelName: string, message: string, name: string | null }> } };

export type LogsTailQueryVariables = Exact<{
  flowRunId: string | number;
  taskSlug?: string | null | undefined;
  mapIndex?: number | null | undefined;
  last: number;
}>;


export type LogsTailQuery = { logs: { pageInfo: { endCursor: string | null }, nodes: Array<{ id: string, taskSlug: string | null, mapIndex: number | null, timestamp: string, level: number, levelName: string, message: string, name: string | null }> } };

export type LogsLiveSubscriptionVariables = Exact<{
  flowRunId: string | number;
  after?: string | null | undefined;
}>;


export type LogsLiveSubscription = { logs: Array<{ id: string, taskSlug: string | null, mapIndex: number | null, timestamp: string, level: number, levelName: string, message: string, name: string | null }> };

export type SetFlowRunStatesMutationVariables = Exact<{
  changes: Array<any> | any;
}>;


export type SetFlowRunStatesMutation = { setFlowRunStates: Array<{ accepted: boolean, state: string | null, code: string | null, reason: string | null }> };

export type CancelMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelMutation = { cancelFlowRun: { id: string, state: string } };

export type RestartMutationVariables = Exact<{
  id: string | number;
}>;


export type RestartMutation = { restartFlowRun: { id: string, state: string } };

export type DeleteMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteMutation = { deleteFlowRun: boolean };

export type AgentsQueryVariables = Exact<{ [key: string]: never; }>;


export type AgentsQuery = { agents: Array<{ id: string, name: string, labels: Array<string>, version: string | null, lastHeartbeat: string | null, created: string, runsInFlight: number, health: AgentHealth, problem: string | null, recentRuns: Array<{ id: string, name: string, flowName: string, state: string, scheduledStartTime: string, startTime: string | null, endTime: string | null }> }> };

export type DeletionPreviewFieldsFragment = { kind: string, name: string, version: number | null, flows: number, versions: number, runs: number, runsInProgress: number };

export type DeletionPreviewQueryVariables = Exact<{
  flowGroupId?: string | number | null | undefined;
  flowId?: string | number | null | undefined;
  project?: string | null | undefined;
}>;


export type DeletionPreviewQuery = { deletionPreview: { kind: string, name: string, version: number | null, flows: number, versions: number, runs: number, runsInProgress: number } };

export type DeleteFlowMutationVariables = Exact<{
  flowGroupId?: string | number | null | undefined;
  flowId?: string | number | null | undefined;
  force: boolean;
}>;


export type DeleteFlowMutation = { deleteFlow: { kind: string, name: string, version: number | null, flows: number, versions: number, runs: number, runsInProgress: number } };

export type DeleteProjectCheckedMutationVariables = Exact<{
  id: string | number;
  force: boolean;
}>;


export type DeleteProjectCheckedMutation = { deleteProject: boolean };

export type ArchiveFlowGroupMutationVariables = Exact<{
  id: string | number;
}>;


export type ArchiveFlowGroupMutation = { archiveFlowGroup: { id: string, scheduleActive: boolean } };

export type UnarchiveFlowGroupMutationVariables = Exact<{
  id: string | number;
}>;


export type UnarchiveFlowGroupMutation = { unarchiveFlowGroup: { id: string, scheduleActive: boolean } };

export type ActivityEventFieldsFragment = { id: string, kind: string, occurred: string, message: string, flowName: string | null, flowRunId: string | null, data: any };

export type ActivityQueryVariables = Exact<{
  kinds?: Array<string> | string | null | undefined;
  flow?: string | null | undefined;
  since?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ActivityQuery = { activity: { nodes: Array<{ id: string, kind: string, occurred: string, message: string, flowName: string | null, flowRunId: string | null, data: any }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type ActivityLiveSubscriptionVariables = Exact<{
  kinds?: Array<string> | string | null | undefined;
  flow?: string | null | undefined;
}>;


export type ActivityLiveSubscription = { activity: { id: string, kind: string, occurred: string, message: string, flowName: string | null, flowRunId: string | null, data: any } };

export type FailureSummaryFieldsFragment = { text: string | null, total: number, causes: Array<{ taskSlug: string, mapIndex: number, taskRunName: string, state: string, exceptionType: string | null, message: string | null }> };

export type AgentMatchFieldsFragment = { covered: boolean, healthyAgents: number, matchingAgents: Array<string>, missingLabels: Array<string>, closestAgent: string | null, suggestion: string | null };

export type RunInsightQueryVariables = Exact<{
  id: string | number;
}>;


export type RunInsightQuery = { flowRun: { id: string, attempts: Array<{ number: number, began: string, state: string, stateType: string, message: string | null, startTime: string | null, endTime: string | null }>, failureSummary: { text: string | null, total: number, causes: Array<{ taskSlug: string, mapIndex: number, taskRunName: string, state: string, exceptionType: string | null, message: string | null }> } | null, agentMatch: { covered: boolean, healthyAgents: number, matchingAgents: Array<string>, missingLabels: Array<string>, closestAgent: string | null, suggestion: string | null } | null } };

export type RestartPreviewQueryVariables = Exact<{
  id: string | number;
}>;


export type RestartPreviewQuery = { flowRun: { id: string, restartPreview: { restartable: boolean, state: string, rerunCount: number, reusedCount: number, rerun: Array<{ taskSlug: string, reason: string, count: number, mapIndexes: Array<number> }> } } };

export type RunsPageQueryVariables = Exact<{
  states?: Array<string> | string | null | undefined;
  flowName?: string | null | undefined;
  project?: string | null | undefined;
  labels?: Array<string> | string | null | undefined;
  agentId?: string | number | null | undefined;
  scheduledAfter?: string | null | undefined;
  scheduledBefore?: string | null | undefined;
  startedAfter?: string | null | undefined;
  startedBefore?: string | null | undefined;
  search?: string | null | undefined;
  orderBy?: FlowRunOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type RunsPageQuery = { flowRuns: { pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, flowId: string, flowGroupId: string, flowName: string, name: string, state: string, stateType: string, stateMessage: string | null, stateTimestamp: string, version: number, runCount: number, parameters: any, labels: Array<string>, scheduledStartTime: string, startTime: string | null, endTime: string | null, autoScheduled: boolean, agentId: string | null, heartbeat: string | null, created: string }> } };

export type RunsPageCountQueryVariables = Exact<{
  states?: Array<string> | string | null | undefined;
  flowName?: string | null | undefined;
  project?: string | null | undefined;
  labels?: Array<string> | string | null | undefined;
  agentId?: string | number | null | undefined;
  scheduledAfter?: string | null | undefined;
  scheduledBefore?: string | null | undefined;
  startedAfter?: string | null | undefined;
  startedBefore?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type RunsPageCountQuery = { flowRuns: { totalCount: number | null } };

export type RunsPageChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type RunsPageChoicesQuery = { projects: Array<{ id: string, name: string }>, flows: { nodes: Array<{ id: string, name: string, projectName: string }> }, agents: Array<{ id: string, name: string }> };

export type RunsTimelineQueryVariables = Exact<{
  startedAfter: string;
  startedBefore: string;
  first: number;
  states?: Array<string> | string | null | undefined;
  flowName?: string | null | undefined;
  project?: string | null | undefined;
}>;


export type RunsTimelineQuery = { flowRuns: { totalCount: number | null, nodes: Array<{ id: string, name: string, flowName: string, state: string, startTime: string | null, endTime: string | null }> } };

export type BulkRunResultFieldsFragment = { flowRunId: string, ok: boolean, state: string | null, code: string | null, message: string | null };

export type CancelFlowRunsMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type CancelFlowRunsMutation = { cancelFlowRuns: Array<{ flowRunId: string, ok: boolean, state: string | null, code: string | null, message: string | null }> };

export type RestartFlowRunsMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type RestartFlowRunsMutation = { restartFlowRuns: Array<{ flowRunId: string, ok: boolean, state: string | null, code: string | null, message: string | null }> };

export type DeleteFlowRunsMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type DeleteFlowRunsMutation = { deleteFlowRuns: Array<{ flowRunId: string, ok: boolean, state: string | null, code: string | null, message: string | null }> };

export type FlowScheduleFieldsFragment = { flowGroupId: string, flowId: string, source: string, overridden: boolean, overriddenAt: string | null, active: boolean, parameterSchema: any, version: string, nextTimes: Array<string>, clocks: Array<{ index: number, kind: string, intervalSeconds: number | null, cron: string | null, dayOr: boolean | null, rrule: string | null, timezone: string | null, startDate: string | null, endDate: string | null, parameterDefaults: any, labels: Array<string> }> };

export type FlowScheduleQueryVariables = Exact<{
  flowId: string | number;
}>;


export type FlowScheduleQuery = { flowSchedule: { flowGroupId: string, flowId: string, source: string, overridden: boolean, overriddenAt: string | null, active: boolean, parameterSchema: any, version: string, nextTimes: Array<string>, clocks: Array<{ index: number, kind: string, intervalSeconds: number | null, cron: string | null, dayOr: boolean | null, rrule: string | null, timezone: string | null, startDate: string | null, endDate: string | null, parameterDefaults: any, labels: Array<string> }> } };

export type SchedulePreviewQueryVariables = Exact<{
  clock: ScheduleClockInput;
  flowId?: string | number | null | undefined;
}>;


export type SchedulePreviewQuery = { schedulePreview: { times: Array<string>, error: string | null } };

export type AddScheduleClockMutationVariables = Exact<{
  flowId: string | number;
  clock: ScheduleClockInput;
  expectedVersion?: string | null | undefined;
}>;


export type AddScheduleClockMutation = { addScheduleClock: { flowGroupId: string, flowId: string, source: string, overridden: boolean, overriddenAt: string | null, active: boolean, parameterSchema: any, version: string, nextTimes: Array<string>, clocks: Array<{ index: number, kind: string, intervalSeconds: number | null, cron: string | null, dayOr: boolean | null, rrule: string | null, timezone: string | null, startDate: string | null, endDate: string | null, parameterDefaults: any, labels: Array<string> }> } };

export type UpdateScheduleClockMutationVariables = Exact<{
  flowId: string | number;
  index: number;
  clock: ScheduleClockInput;
  expectedVersion?: string | null | undefined;
}>;


export type UpdateScheduleClockMutation = { updateScheduleClock: { flowGroupId: string, flowId: string, source: string, overridden: boolean, overriddenAt: string | null, active: boolean, parameterSchema: any, version: string, nextTimes: Array<string>, clocks: Array<{ index: number, kind: string, intervalSeconds: number | null, cron: string | null, dayOr: boolean | null, rrule: string | null, timezone: string | null, startDate: string | null, endDate: string | null, parameterDefaults: any, labels: Array<string> }> } };

export type RemoveScheduleClockMutationVariables = Exact<{
  flowId: string | number;
  index: number;
  expectedVersion?: string | null | undefined;
}>;


export type RemoveScheduleClockMutation = { removeScheduleClock: { flowGroupId: string, flowId: string, source: string, overridden: boolean, overriddenAt: string | null, active: boolean, parameterSchema: any, version: string, nextTimes: Array<string>, clocks: Array<{ index: number, kind: string, intervalSeconds: number | null, cron: string | null, dayOr: boolean | null, rrule: string | null, timezone: string | null, startDate: string | null, endDate: string | null, parameterDefaults: any, labels: Array<string> }> } };

export type ResetFlowScheduleMutationVariables = Exact<{
  flowId: string | number;
  expectedVersion?: string | null | undefined;
}>;


export type ResetFlowScheduleMutation = { resetFlowSchedule: { flowGroupId: string, flowId: string, source: string, overridden: boolean, overriddenAt: string | null, active: boolean, parameterSchema: any, version: string, nextTimes: Array<string>, clocks: Array<{ index: number, kind: string, intervalSeconds: number | null, cron: string | null, dayOr: boolean | null, rrule: string | null, timezone: string | null, startDate: string | null, endDate: string | null, parameterDefaults: any, labels: Array<string> }> } };

export type BackfillFieldsFragment = { id: string, flowId: string, flowName: string, start: string, end: string, maxConcurrent: number, total: number, skipped: number, createdRuns: number, finished: number, state: string, created: string, ended: string | null, counts: Array<{ state: string, count: number }> };

export type BackfillPreviewQueryVariables = Exact<{
  flowId: string | number;
  start: string;
  end: string;
}>;


export type BackfillPreviewQuery = { backfillPreview: { times: number, existing: number, new: number, maxRuns: number, first: Array<{ start: string, exists: boolean }>, last: Array<{ start: string, exists: boolean }> } };

export type CreateBackfillMutationVariables = Exact<{
  flowId: string | number;
  start: string;
  end: string;
  maxConcurrent: number;
}>;


export type CreateBackfillMutation = { createBackfill: { id: string, flowId: string, flowName: string, start: string, end: string, maxConcurrent: number, total: number, skipped: number, createdRuns: number, finished: number, state: string, created: string, ended: string | null, counts: Array<{ state: string, count: number }> } };

export type FlowBackfillsQueryVariables = Exact<{
  flowId: string | number;
}>;


export type FlowBackfillsQuery = { backfills: Array<{ id: string, flowId: string, flowName: string, start: string, end: string, maxConcurrent: number, total: number, skipped: number, createdRuns: number, finished: number, state: string, created: string, ended: string | null, counts: Array<{ state: string, count: number }> }> };

export type BackfillQueryVariables = Exact<{
  id: string | number;
}>;


export type BackfillQuery = { backfill: { id: string, flowId: string, flowName: string, start: string, end: string, maxConcurrent: number, total: number, skipped: number, createdRuns: number, finished: number, state: string, created: string, ended: string | null, runs: Array<{ id: string, name: string, state: string, stateType: string, scheduledStartTime: string, startTime: string | null, endTime: string | null }>, counts: Array<{ state: string, count: number }> } };

export type CancelBackfillMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelBackfillMutation = { cancelBackfill: { id: string, flowId: string, flowName: string, start: string, end: string, maxConcurrent: number, total: number, skipped: number, createdRuns: number, finished: number, state: string, created: string, ended: string | null, counts: Array<{ state: string, count: number }> } };

export type QuickRunFlowQueryVariables = Exact<{
  id: string | number;
}>;


export type QuickRunFlowQuery = { flow: { id: string, name: string, archived: boolean, parameterSchema: any, labels: Array<string> } };

export type QuickRunMutationVariables = Exact<{
  input: CreateFlowRunInput;
}>;


export type QuickRunMutation = { createFlowRun: { id: string, name: string, state: string } };

export type MarkFlowRunMutationVariables = Exact<{
  id: string | number;
  state: string;
  reason: string;
}>;


export type MarkFlowRunMutation = { markFlowRun: { id: string, state: string, stateMessage: string | null, version: number } };

export type MarkTaskRunMutationVariables = Exact<{
  id: string | number;
  state: string;
  reason: string;
}>;


export type MarkTaskRunMutation = { markTaskRun: { id: string, state: string, stateMessage: string | null, version: number } };

export type RestartFromPreviewQueryVariables = Exact<{
  id: string | number;
  fromTasks?: Array<string> | string | null | undefined;
}>;


export type RestartFromPreviewQuery = { flowRun: { id: string, restartPreview: { restartable: boolean, state: string, rerunCount: number, reusedCount: number, rerun: Array<{ taskSlug: string, reason: string, count: number, mapIndexes: Array<number> }> } } };

export type RestartFromMutationVariables = Exact<{
  id: string | number;
  fromTasks: Array<string> | string;
}>;


export type RestartFromMutation = { restartFlowRunFrom: { id: string, state: string, stateMessage: string | null } };

export type OtherRunsQueryVariables = Exact<{
  flowGroupId: string | number;
  first: number;
}>;


export type OtherRunsQuery = { flowRuns: { nodes: Array<{ id: string, name: string, state: string, scheduledStartTime: string }> } };

export type TaskSideFieldsFragment = { taskRunId: string | null, state: string | null, message: string | null, startTime: string | null, endTime: string | null, durationSeconds: number | null, resultLocation: string | null, runCount: number, childCount: number, children: Array<{ state: string, count: number }> };

export type CompareFlowRunsQueryVariables = Exact<{
  a: string | number;
  b: string | number;
}>;


export type CompareFlowRunsQuery = { compareFlowRuns: { sameFlow: boolean, sameVersion: boolean, differingTasks: number, a: { id: string, name: string, flowId: string, flowName: string, state: string, startTime: string | null, endTime: string | null, scheduledStartTime: string }, b: { id: string, name: string, flowId: string, flowName: string, state: string, startTime: string | null, endTime: string | null, scheduledStartTime: string }, parameters: Array<{ name: string, a: any, b: any, inA: boolean, inB: boolean, differs: boolean }>, tasks: Array<{ taskSlug: string, mapped: boolean, differences: Array<string>, a: { taskRunId: string | null, state: string | null, message: string | null, startTime: string | null, endTime: string | null, durationSeconds: number | null, resultLocation: string | null, runCount: number, childCount: number, children: Array<{ state: string, count: number }> } | null, b: { taskRunId: string | null, state: string | null, message: string | null, startTime: string | null, endTime: string | null, durationSeconds: number | null, resultLocation: string | null, runCount: number, childCount: number, children: Array<{ state: string, count: number }> } | null }> } };

export type SwitchTeamMutationVariables = Exact<{
  teamId: string | number;
}>;


export type SwitchTeamMutation = { switchTeam: { role: string, currentTeam: { id: string, name: string } } };

export type CreateTeamMutationVariables = Exact<{
  name: string;
}>;


export type CreateTeamMutation = { createTeam: { id: string, name: string, slug: string, role: string } };

export type ChangePasswordMutationVariables = Exact<{
  currentPassword: string;
  newPassword: string;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type MembersQueryVariables = Exact<{ [key: string]: never; }>;


export type MembersQuery = { members: Array<{ userId: string, email: string, name: string | null, role: string, joined: string }> };

export type InvitationsQueryVariables = Exact<{ [key: string]: never; }>;


export type InvitationsQuery = { invitations: Array<{ id: string, email: string, role: string, expires: string, accepted: string | null }> };

export type InviteMemberMutationVariables = Exact<{
  email: string;
  role: string;
}>;


export type InviteMemberMutation = { inviteMember: { url: string, token: string, invitation: { id: string, email: string, role: string, expires: string } } };

export type AcceptInvitationMutationVariables = Exact<{
  token: string;
  password?: string | null | undefined;
  name?: string | null | undefined;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { user: { email: string }, team: { name: string } } };

export type SetMemberRoleMutationVariables = Exact<{
  userId: string | number;
  role: string;
}>;


export type SetMemberRoleMutation = { setMemberRole: { userId: string, role: string } };

export type RemoveMemberMutationVariables = Exact<{
  userId: string | number;
}>;


export type RemoveMemberMutation = { removeMember: boolean };

export type ApiKeyFieldsFragment = { id: string, name: string, prefix: string, role: string, userId: string | null, userEmail: string | null, serviceAccount: boolean, createdBy: string | null, created: string, expiresAt: string | null, lastUsed: string | null, revoked: boolean };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, role: string, userId: string | null, userEmail: string | null, serviceAccount: boolean, createdBy: string | null, created: string, expiresAt: string | null, lastUsed: string | null, revoked: boolean }> };

export type CreateApiKeyMutationVariables = Exact<{
  name: string;
  role?: string | null | undefined;
  expiresAt?: string | null | undefined;
}>;


export type CreateApiKeyMutation = { createApiKey: { key: string, apiKey: { id: string, name: string, prefix: string, role: string, userId: string | null, userEmail: string | null, serviceAccount: boolean, createdBy: string | null, created: string, expiresAt: string | null, lastUsed: string | null, revoked: boolean } } };

export type CreateServiceAccountMutationVariables = Exact<{
  name: string;
  role: string;
  expiresAt?: string | null | undefined;
}>;


export type CreateServiceAccountMutation = { createServiceAccount: { key: string, apiKey: { id: string, name: string, prefix: string, role: string, userId: string | null, userEmail: string | null, serviceAccount: boolean, createdBy: string | null, created: string, expiresAt: string | null, lastUsed: string | null, revoked: boolean } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, revoked: boolean } };

export type SecretsQueryVariables = Exact<{ [key: string]: never; }>;


export type SecretsQuery = { secrets: Array<{ name: string, created: string, updated: string, createdBy: string | null, updatedBy: string | null }> };

export type SetSecretMutationVariables = Exact<{
  name: string;
  value: string;
}>;


export type SetSecretMutation = { setSecret: { name: string, updated: string } };

export type DeleteSecretMutationVariables = Exact<{
  name: string;
}>;


export type DeleteSecretMutation = { deleteSecret: boolean };

export type AuditEventsQueryVariables = Exact<{
  actor?: string | null | undefined;
  action?: string | null | undefined;
  objectType?: string | null | undefined;
  objectId?: string | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
  machine?: boolean | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { totalCount: number | null, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, occurred: string, action: string, actor: string, actorKind: string | null, actorUserId: string | null, actorApiKeyId: string | null, objectType: string | null, objectId: string | null, success: boolean, details: any }> } };

export type RetentionPolicyQueryVariables = Exact<{ [key: string]: never; }>;


export type RetentionPolicyQuery = { retentionPolicy: { days: number, logMaxBytes: number, keepNewestRuns: number, databaseSizeBytes: number, databaseDialect: string, team: { days: number | null, logMaxBytes: number | null, keepNewestRuns: number | null }, serverDefault: { days: number | null, logMaxBytes: number | null, keepNewestRuns: number | null } } };

export type SetRetentionPolicyMutationVariables = Exact<{
  days?: number | null | undefined;
  logMaxBytes?: number | null | undefined;
  keepNewestRuns?: number | null | undefined;
}>;


export type SetRetentionPolicyMutation = { setRetentionPolicy: { days: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AutomationFieldsFragmentDoc = new TypedDocumentString(`
    fragment AutomationFields on Automation {
  id
  name
  description
  enabled
  created
  updated
  trigger {
    type
    states
    projectId
    flowGroupIds
    tags
    kinds
    agentNames
    count
    taskSlugs
  }
  actions {
    type
    url
    headers
    message
    to
    subject
    flowGroupId
    parameters
  }
}
    `, {"fragmentName":"AutomationFields"}) as unknown as TypedDocumentString<AutomationFieldsFragment, unknown>;
export const NotificationFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationFields on Notification {
  id
  automationId
  automationName
  actionIndex
  actionType
  triggerKey
  event
  flowRunId
  test
  status
  attemptCount
  lastError
  nextAttemptAt
  deliveredAt
  created
  updated
  attempts {
    number
    success
    statusCode
    error
    detail
    started
    durationMs
  }
}
    `, {"fragmentName":"NotificationFields"}) as unknown as TypedDocumentString<NotificationFieldsFragment, unknown>;
export const ConcurrencyLimitFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConcurrencyLimitFields on ConcurrencyLimit {
  id
  kind
  key
  limit
  inUse
  created
  updated
  holders {
    flowRunId
    flowRunName
    taskRunId
    taskSlug
    mapIndex
    state
    acquired
  }
}
    `, {"fragmentName":"ConcurrencyLimitFields"}) as unknown as TypedDocumentString<ConcurrencyLimitFieldsFragment, unknown>;
export const ArtifactFieldsFragmentDoc = new TypedDocumentString(`
    fragment ArtifactFields on Artifact {
  id
  key
  type
  description
  data
  flowRunId
  flowRunName
  flowName
  taskRunId
  taskSlug
  mapIndex
  created
  updated
}
    `, {"fragmentName":"ArtifactFields"}) as unknown as TypedDocumentString<ArtifactFieldsFragment, unknown>;
export const FlowRunFieldsFragmentDoc = new TypedDocumentString(`
    fragment FlowRunFields on FlowRun {
  id
  flowId
  flowGroupId
  flowName
  name
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  parameters
  labels
  scheduledStartTime
  startTime
  endTime
  autoScheduled
  agentId
  heartbeat
  created
}
    `, {"fragmentName":"FlowRunFields"}) as unknown as TypedDocumentString<FlowRunFieldsFragment, unknown>;
export const TaskRunFieldsFragmentDoc = new TypedDocumentString(`
    fragment TaskRunFields on TaskRun {
  id
  taskSlug
  mapIndex
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  startTime
  endTime
}
    `, {"fragmentName":"TaskRunFields"}) as unknown as TypedDocumentString<TaskRunFieldsFragment, unknown>;
export const LogFieldsFragmentDoc = new TypedDocumentString(`
    fragment LogFields on Log {
  id
  taskSlug
  mapIndex
  timestamp
  level
  levelName
  message
  name
}
    `, {"fragmentName":"LogFields"}) as unknown as TypedDocumentString<LogFieldsFragment, unknown>;
export const FlowSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment FlowSummaryFields on Flow {
  id
  flowGroupId
  projectId
  projectName
  name
  version
  description
  labels
  schedule
  scheduleActive
  archived
  created
}
    `, {"fragmentName":"FlowSummaryFields"}) as unknown as TypedDocumentString<FlowSummaryFieldsFragment, unknown>;
export const FlowTaskFieldsFragmentDoc = new TypedDocumentString(`
    fragment FlowTaskFields on FlowTask {
  id
  slug
  name
  type
  mapped
  tags
  retries
  retryDelay
  timeout
  trigger
  isParameter
  isReference
  description
}
    `, {"fragmentName":"FlowTaskFields"}) as unknown as TypedDocumentString<FlowTaskFieldsFragment, unknown>;
export const FlowEdgeFieldsFragmentDoc = new TypedDocumentString(`
    fragment FlowEdgeFields on FlowGraphEdge {
  upstream
  downstream
  key
  mapped
  flatten
}
    `, {"fragmentName":"FlowEdgeFields"}) as unknown as TypedDocumentString<FlowEdgeFieldsFragment, unknown>;
export const StateRecordFieldsFragmentDoc = new TypedDocumentString(`
    fragment StateRecordFields on StateRecord {
  id
  state
  stateType
  message
  timestamp
  startTime
  version
}
    `, {"fragmentName":"StateRecordFields"}) as unknown as TypedDocumentString<StateRecordFieldsFragment, unknown>;
export const LastRunFieldsFragmentDoc = new TypedDocumentString(`
    fragment LastRunFields on FlowRun {
  id
  name
  state
  stateType
  scheduledStartTime
  startTime
  endTime
}
    `, {"fragmentName":"LastRunFields"}) as unknown as TypedDocumentString<LastRunFieldsFragment, unknown>;
export const DeletionPreviewFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeletionPreviewFields on DeletionPreview {
  kind
  name
  version
  flows
  versions
  runs
  runsInProgress
}
    `, {"fragmentName":"DeletionPreviewFields"}) as unknown as TypedDocumentString<DeletionPreviewFieldsFragment, unknown>;
export const ActivityEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment ActivityEventFields on ActivityEvent {
  id
  kind
  occurred
  message
  flowName
  flowRunId
  data
}
    `, {"fragmentName":"ActivityEventFields"}) as unknown as TypedDocumentString<ActivityEventFieldsFragment, unknown>;
export const FailureSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment FailureSummaryFields on FailureSummary {
  text
  total
  causes {
    taskSlug
    mapIndex
    taskRunName
    state
    exceptionType
    message
  }
}
    `, {"fragmentName":"FailureSummaryFields"}) as unknown as TypedDocumentString<FailureSummaryFieldsFragment, unknown>;
export const AgentMatchFieldsFragmentDoc = new TypedDocumentString(`
    fragment AgentMatchFields on AgentMatch {
  covered
  healthyAgents
  matchingAgents
  missingLabels
  closestAgent
  suggestion
}
    `, {"fragmentName":"AgentMatchFields"}) as unknown as TypedDocumentString<AgentMatchFieldsFragment, unknown>;
export const BulkRunResultFieldsFragmentDoc = new TypedDocumentString(`
    fragment BulkRunResultFields on BulkRunResult {
  flowRunId
  ok
  state
  code
  message
}
    `, {"fragmentName":"BulkRunResultFields"}) as unknown as TypedDocumentString<BulkRunResultFieldsFragment, unknown>;
export const FlowScheduleFieldsFragmentDoc = new TypedDocumentString(`
    fragment FlowScheduleFields on FlowSchedule {
  flowGroupId
  flowId
  source
  overridden
  overriddenAt
  active
  parameterSchema
  version
  clocks {
    index
    kind
    intervalSeconds
    cron
    dayOr
    rrule
    timezone
    startDate
    endDate
    parameterDefaults
    labels
  }
  nextTimes(n: 10)
}
    `, {"fragmentName":"FlowScheduleFields"}) as unknown as TypedDocumentString<FlowScheduleFieldsFragment, unknown>;
export const BackfillFieldsFragmentDoc = new TypedDocumentString(`
    fragment BackfillFields on Backfill {
  id
  flowId
  flowName
  start
  end
  maxConcurrent
  total
  skipped
  createdRuns
  finished
  state
  created
  ended
  counts {
    state
    count
  }
}
    `, {"fragmentName":"BackfillFields"}) as unknown as TypedDocumentString<BackfillFieldsFragment, unknown>;
export const TaskSideFieldsFragmentDoc = new TypedDocumentString(`
    fragment TaskSideFields on TaskSide {
  taskRunId
  state
  message
  startTime
  endTime
  durationSeconds
  resultLocation
  runCount
  childCount
  children {
    state
    count
  }
}
    `, {"fragmentName":"TaskSideFields"}) as unknown as TypedDocumentString<TaskSideFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  userId
  userEmail
  serviceAccount
  createdBy
  created
  expiresAt
  lastUsed
  revoked
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const DeleteAgentDocument = new TypedDocumentString(`
    mutation DeleteAgent($id: ID!) {
  deleteAgent(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteAgentMutation, DeleteAgentMutationVariables>;
export const AutomationsDocument = new TypedDocumentString(`
    query Automations {
  automations {
    ...AutomationFields
  }
}
    fragment AutomationFields on Automation {
  id
  name
  description
  enabled
  created
  updated
  trigger {
    type
    states
    projectId
    flowGroupIds
    tags
    kinds
    agentNames
    count
    taskSlugs
  }
  actions {
    type
    url
    headers
    message
    to
    subject
    flowGroupId
    parameters
  }
}`) as unknown as TypedDocumentString<AutomationsQuery, AutomationsQueryVariables>;
export const AutomationDocument = new TypedDocumentString(`
    query Automation($id: ID!) {
  automation(id: $id) {
    ...AutomationFields
  }
}
    fragment AutomationFields on Automation {
  id
  name
  description
  enabled
  created
  updated
  trigger {
    type
    states
    projectId
    flowGroupIds
    tags
    kinds
    agentNames
    count
    taskSlugs
  }
  actions {
    type
    url
    headers
    message
    to
    subject
    flowGroupId
    parameters
  }
}`) as unknown as TypedDocumentString<AutomationQuery, AutomationQueryVariables>;
export const AutomationChoicesDocument = new TypedDocumentString(`
    query AutomationChoices {
  projects {
    id
    name
  }
  flows(first: 500) {
    nodes {
      id
      flowGroupId
      name
      projectName
    }
  }
  agents {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<AutomationChoicesQuery, AutomationChoicesQueryVariables>;
export const CreateAutomationDocument = new TypedDocumentString(`
    mutation CreateAutomation($input: AutomationInput!) {
  createAutomation(input: $input) {
    id
    name
    signingSecret
  }
}
    `) as unknown as TypedDocumentString<CreateAutomationMutation, CreateAutomationMutationVariables>;
export const UpdateAutomationDocument = new TypedDocumentString(`
    mutation UpdateAutomation($id: ID!, $input: AutomationPatch!) {
  updateAutomation(id: $id, input: $input) {
    id
    name
    signingSecret
  }
}
    `) as unknown as TypedDocumentString<UpdateAutomationMutation, UpdateAutomationMutationVariables>;
export const DeleteAutomationDocument = new TypedDocumentString(`
    mutation DeleteAutomation($id: ID!) {
  deleteAutomation(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteAutomationMutation, DeleteAutomationMutationVariables>;
export const SetAutomationEnabledDocument = new TypedDocumentString(`
    mutation SetAutomationEnabled($id: ID!, $enabled: Boolean!) {
  setAutomationEnabled(id: $id, enabled: $enabled) {
    id
    enabled
  }
}
    `) as unknown as TypedDocumentString<SetAutomationEnabledMutation, SetAutomationEnabledMutationVariables>;
export const SendTestNotificationDocument = new TypedDocumentString(`
    mutation SendTestNotification($automationId: ID!) {
  sendTestNotification(automationId: $automationId) {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  automationId
  automationName
  actionIndex
  actionType
  triggerKey
  event
  flowRunId
  test
  status
  attemptCount
  lastError
  nextAttemptAt
  deliveredAt
  created
  updated
  attempts {
    number
    success
    statusCode
    error
    detail
    started
    durationMs
  }
}`) as unknown as TypedDocumentString<SendTestNotificationMutation, SendTestNotificationMutationVariables>;
export const NotificationsDocument = new TypedDocumentString(`
    query Notifications($automationId: ID, $status: String, $since: DateTime, $flowRunId: ID, $first: Int!, $after: String) {
  notifications(
    automationId: $automationId
    status: $status
    since: $since
    flowRunId: $flowRunId
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      ...NotificationFields
    }
  }
}
    fragment NotificationFields on Notification {
  id
  automationId
  automationName
  actionIndex
  actionType
  triggerKey
  event
  flowRunId
  test
  status
  attemptCount
  lastError
  nextAttemptAt
  deliveredAt
  created
  updated
  attempts {
    number
    success
    statusCode
    error
    detail
    started
    durationMs
  }
}`) as unknown as TypedDocumentString<NotificationsQuery, NotificationsQueryVariables>;
export const FlowSlaDocument = new TypedDocumentString(`
    query FlowSla($flowId: ID!) {
  flowSla(flowId: $flowId) {
    flowGroupId
    lateStartSeconds
    longRunSeconds
    missedRunSeconds
    updated
  }
}
    `) as unknown as TypedDocumentString<FlowSlaQuery, FlowSlaQueryVariables>;
export const SetFlowSlaDocument = new TypedDocumentString(`
    mutation SetFlowSla($flowId: ID!, $lateStartSeconds: Float, $longRunSeconds: Float, $missedRunSeconds: Float) {
  setFlowSla(
    flowId: $flowId
    lateStartSeconds: $lateStartSeconds
    longRunSeconds: $longRunSeconds
    missedRunSeconds: $missedRunSeconds
  ) {
    flowGroupId
    lateStartSeconds
    longRunSeconds
    missedRunSeconds
    updated
  }
}
    `) as unknown as TypedDocumentString<SetFlowSlaMutation, SetFlowSlaMutationVariables>;
export const SlaBreachesDocument = new TypedDocumentString(`
    query SlaBreaches($flowId: ID, $since: DateTime, $first: Int!) {
  slaBreaches(flowId: $flowId, since: $since, first: $first) {
    totalCount
    nodes {
      id
      flowGroupId
      flowName
      flowRunId
      kind
      subject
      thresholdSeconds
      expectedAt
      detected
      message
    }
  }
}
    `) as unknown as TypedDocumentString<SlaBreachesQuery, SlaBreachesQueryVariables>;
export const ConcurrencyLimitsDocument = new TypedDocumentString(`
    query ConcurrencyLimits {
  concurrencyLimits {
    ...ConcurrencyLimitFields
  }
}
    fragment ConcurrencyLimitFields on ConcurrencyLimit {
  id
  kind
  key
  limit
  inUse
  created
  updated
  holders {
    flowRunId
    flowRunName
    taskRunId
    taskSlug
    mapIndex
    state
    acquired
  }
}`) as unknown as TypedDocumentString<ConcurrencyLimitsQuery, ConcurrencyLimitsQueryVariables>;
export const SetConcurrencyLimitDocument = new TypedDocumentString(`
    mutation SetConcurrencyLimit($kind: String!, $key: String!, $limit: Int!) {
  setConcurrencyLimit(kind: $kind, key: $key, limit: $limit) {
    ...ConcurrencyLimitFields
  }
}
    fragment ConcurrencyLimitFields on ConcurrencyLimit {
  id
  kind
  key
  limit
  inUse
  created
  updated
  holders {
    flowRunId
    flowRunName
    taskRunId
    taskSlug
    mapIndex
    state
    acquired
  }
}`) as unknown as TypedDocumentString<SetConcurrencyLimitMutation, SetConcurrencyLimitMutationVariables>;
export const DeleteConcurrencyLimitDocument = new TypedDocumentString(`
    mutation DeleteConcurrencyLimit($kind: String!, $key: String!) {
  deleteConcurrencyLimit(kind: $kind, key: $key)
}
    `) as unknown as TypedDocumentString<DeleteConcurrencyLimitMutation, DeleteConcurrencyLimitMutationVariables>;
export const TaskRunOutputsDocument = new TypedDocumentString(`
    query TaskRunOutputs($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {
  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {
    id
    artifacts {
      ...ArtifactFields
    }
    result {
      location
      size
      serializer
      resultType
      preview
      previewNote
      loadSnippet
    }
  }
}
    fragment ArtifactFields on Artifact {
  id
  key
  type
  description
  data
  flowRunId
  flowRunName
  flowName
  taskRunId
  taskSlug
  mapIndex
  created
  updated
}`) as unknown as TypedDocumentString<TaskRunOutputsQuery, TaskRunOutputsQueryVariables>;
export const ArtifactsPageDocument = new TypedDocumentString(`
    query ArtifactsPage($key: String, $type: String, $latestPerKey: Boolean!, $first: Int, $after: String) {
  artifactsPage(
    key: $key
    type: $type
    latestPerKey: $latestPerKey
    first: $first
    after: $after
  ) {
    nodes {
      ...ArtifactFields
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment ArtifactFields on Artifact {
  id
  key
  type
  description
  data
  flowRunId
  flowRunName
  flowName
  taskRunId
  taskSlug
  mapIndex
  created
  updated
}`) as unknown as TypedDocumentString<ArtifactsPageQuery, ArtifactsPageQueryVariables>;
export const RunArtifactsPageDocument = new TypedDocumentString(`
    query RunArtifactsPage($flowRunId: ID!, $first: Int!, $after: String) {
  artifactsPage(flowRunId: $flowRunId, first: $first, after: $after) {
    nodes {
      ...ArtifactFields
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    fragment ArtifactFields on Artifact {
  id
  key
  type
  description
  data
  flowRunId
  flowRunName
  flowName
  taskRunId
  taskSlug
  mapIndex
  created
  updated
}`) as unknown as TypedDocumentString<RunArtifactsPageQuery, RunArtifactsPageQueryVariables>;
export const DashboardDocument = new TypedDocumentString(`
    query Dashboard($since: DateTime!, $bucket: Int!, $now: DateTime!, $until: DateTime!) {
  runCounts(since: $since, bucketSeconds: $bucket, until: $until) {
    bucketStart
    state
    count
  }
  active: flowRuns(
    states: ["Submitted", "Running", "Cancelling", "Paused"]
    first: 20
    orderBy: STATE_TIMESTAMP_DESC
  ) {
    totalCount
    nodes {
      ...FlowRunFields
    }
  }
  upcoming: flowRuns(
    states: ["Scheduled", "Pending"]
    first: 10
    orderBy: SCHEDULED_START_TIME_ASC
  ) {
    totalCount
    nodes {
      ...FlowRunFields
      agentMatch {
        covered
        missingLabels
        suggestion
      }
    }
  }
  late: flowRuns(
    states: ["Scheduled", "Pending"]
    scheduledBefore: $now
    first: 1
  ) {
    totalCount
  }
  failures: recentFailures(first: 8) {
    flowRun {
      id
      name
      flowName
      state
    }
    failedAt
    state
    message
    attempt
    restarted
    failureSummary {
      text
      total
      causes {
        taskSlug
        mapIndex
        taskRunName
        exceptionType
        message
      }
    }
  }
  agents {
    id
    name
    labels
    version
    lastHeartbeat
    created
    runsInFlight
    health
  }
  flows(first: 1) {
    totalCount
  }
}
    fragment FlowRunFields on FlowRun {
  id
  flowId
  flowGroupId
  flowName
  name
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  parameters
  labels
  scheduledStartTime
  startTime
  endTime
  autoScheduled
  agentId
  heartbeat
  created
}`) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const RunFeedDocument = new TypedDocumentString(`
    subscription RunFeed {
  runFeed {
    kind
    flowRunId
    state
    stateType
    occurred
  }
}
    `) as unknown as TypedDocumentString<RunFeedSubscription, RunFeedSubscriptionVariables>;
export const ProjectsDocument = new TypedDocumentString(`
    query Projects {
  projects {
    id
    name
    description
    created
    flowCount
  }
}
    `) as unknown as TypedDocumentString<ProjectsQuery, ProjectsQueryVariables>;
export const CreateProjectDocument = new TypedDocumentString(`
    mutation CreateProject($name: String!, $description: String) {
  createProject(name: $name, description: $description) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateProjectMutation, CreateProjectMutationVariables>;
export const DeleteProjectDocument = new TypedDocumentString(`
    mutation DeleteProject($id: ID!) {
  deleteProject(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteProjectMutation, DeleteProjectMutationVariables>;
export const FlowsDocument = new TypedDocumentString(`
    query Flows($search: String, $project: String, $first: Int!, $after: String, $includeArchived: Boolean! = false) {
  flows(
    search: $search
    project: $project
    first: $first
    after: $after
    includeArchived: $includeArchived
  ) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      ...FlowSummaryFields
    }
  }
}
    fragment FlowSummaryFields on Flow {
  id
  flowGroupId
  projectId
  projectName
  name
  version
  description
  labels
  schedule
  scheduleActive
  archived
  created
}`) as unknown as TypedDocumentString<FlowsQuery, FlowsQueryVariables>;
export const SetScheduleActiveDocument = new TypedDocumentString(`
    mutation SetScheduleActive($flowId: ID!, $active: Boolean!) {
  setScheduleActive(flowId: $flowId, active: $active) {
    id
    scheduleActive
  }
}
    `) as unknown as TypedDocumentString<SetScheduleActiveMutation, SetScheduleActiveMutationVariables>;
export const FlowDocument = new TypedDocumentString(`
    query Flow($id: ID!) {
  flow(id: $id) {
    ...FlowSummaryFields
    fingerprint
    parameterSchema
    storage
    runConfig
    tasks {
      ...FlowTaskFields
    }
    edges {
      ...FlowEdgeFields
    }
    versions {
      id
      version
      created
      archived
      fingerprint
    }
    nextRunTimes(n: 5)
  }
}
    fragment FlowSummaryFields on Flow {
  id
  flowGroupId
  projectId
  projectName
  name
  version
  description
  labels
  schedule
  scheduleActive
  archived
  created
}
fragment FlowTaskFields on FlowTask {
  id
  slug
  name
  type
  mapped
  tags
  retries
  retryDelay
  timeout
  trigger
  isParameter
  isReference
  description
}
fragment FlowEdgeFields on FlowGraphEdge {
  upstream
  downstream
  key
  mapped
  flatten
}`) as unknown as TypedDocumentString<FlowQuery, FlowQueryVariables>;
export const FlowRunsDocument = new TypedDocumentString(`
    query FlowRuns($flowGroupId: ID, $states: [String!], $first: Int!, $after: String, $orderBy: FlowRunOrder, $scheduledAfter: DateTime) {
  flowRuns(
    flowGroupId: $flowGroupId
    states: $states
    first: $first
    after: $after
    orderBy: $orderBy
    scheduledAfter: $scheduledAfter
  ) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      ...FlowRunFields
    }
  }
}
    fragment FlowRunFields on FlowRun {
  id
  flowId
  flowGroupId
  flowName
  name
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  parameters
  labels
  scheduledStartTime
  startTime
  endTime
  autoScheduled
  agentId
  heartbeat
  created
}`) as unknown as TypedDocumentString<FlowRunsQuery, FlowRunsQueryVariables>;
export const CreateFlowRunDocument = new TypedDocumentString(`
    mutation CreateFlowRun($input: CreateFlowRunInput!) {
  createFlowRun(input: $input) {
    id
    name
    state
  }
}
    `) as unknown as TypedDocumentString<CreateFlowRunMutation, CreateFlowRunMutationVariables>;
export const FlowRunDocument = new TypedDocumentString(`
    query FlowRun($id: ID!) {
  flowRun(id: $id) {
    ...FlowRunFields
    states {
      ...StateRecordFields
    }
    flow {
      id
      name
      tasks {
        ...FlowTaskFields
      }
      edges {
        ...FlowEdgeFields
      }
    }
    taskRunSummary
  }
}
    fragment FlowRunFields on FlowRun {
  id
  flowId
  flowGroupId
  flowName
  name
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  parameters
  labels
  scheduledStartTime
  startTime
  endTime
  autoScheduled
  agentId
  heartbeat
  created
}
fragment FlowTaskFields on FlowTask {
  id
  slug
  name
  type
  mapped
  tags
  retries
  retryDelay
  timeout
  trigger
  isParameter
  isReference
  description
}
fragment FlowEdgeFields on FlowGraphEdge {
  upstream
  downstream
  key
  mapped
  flatten
}
fragment StateRecordFields on StateRecord {
  id
  state
  stateType
  message
  timestamp
  startTime
  version
}`) as unknown as TypedDocumentString<FlowRunQuery, FlowRunQueryVariables>;
export const TaskRunSummaryDocument = new TypedDocumentString(`
    query TaskRunSummary($id: ID!) {
  flowRun(id: $id) {
    id
    taskRunSummary
  }
}
    `) as unknown as TypedDocumentString<TaskRunSummaryQuery, TaskRunSummaryQueryVariables>;
export const TaskRunRowsDocument = new TypedDocumentString(`
    query TaskRunRows($id: ID!, $first: Int!, $after: String, $taskSlug: String) {
  flowRun(id: $id) {
    taskRunRows(first: $first, after: $after, taskSlug: $taskSlug) {
      fields
      rows
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TaskRunRowsQuery, TaskRunRowsQueryVariables>;
export const TaskRunDocument = new TypedDocumentString(`
    query TaskRun($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {
  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {
    ...TaskRunFields
    states {
      ...StateRecordFields
    }
    flowRun {
      ...FlowRunFields
      flow {
        id
        tasks {
          slug
          mapped
        }
      }
    }
    task {
      ...FlowTaskFields
    }
    upstream {
      ...FlowEdgeFields
    }
    downstream {
      ...FlowEdgeFields
    }
  }
}
    fragment FlowRunFields on FlowRun {
  id
  flowId
  flowGroupId
  flowName
  name
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  parameters
  labels
  scheduledStartTime
  startTime
  endTime
  autoScheduled
  agentId
  heartbeat
  created
}
fragment TaskRunFields on TaskRun {
  id
  taskSlug
  mapIndex
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  startTime
  endTime
}
fragment FlowTaskFields on FlowTask {
  id
  slug
  name
  type
  mapped
  tags
  retries
  retryDelay
  timeout
  trigger
  isParameter
  isReference
  description
}
fragment FlowEdgeFields on FlowGraphEdge {
  upstream
  downstream
  key
  mapped
  flatten
}
fragment StateRecordFields on StateRecord {
  id
  state
  stateType
  message
  timestamp
  startTime
  version
}`) as unknown as TypedDocumentString<TaskRunQuery, TaskRunQueryVariables>;
export const TaskChildrenDocument = new TypedDocumentString(`
    query TaskChildren($id: ID!, $taskSlug: String!, $first: Int!, $after: String) {
  taskRun(flowRunId: $id, taskSlug: $taskSlug) {
    id
    children(first: $first, after: $after) {
      fields
      rows
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TaskChildrenQuery, TaskChildrenQueryVariables>;
export const FlowRunLiveDocument = new TypedDocumentString(`
    subscription FlowRunLive($id: ID!, $taskRuns: Boolean! = true) {
  flowRun(id: $id, taskRuns: $taskRuns) {
    kind
    flowRun {
      ...FlowRunFields
    }
    taskRuns {
      ...TaskRunFields
    }
  }
}
    fragment FlowRunFields on FlowRun {
  id
  flowId
  flowGroupId
  flowName
  name
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  parameters
  labels
  scheduledStartTime
  startTime
  endTime
  autoScheduled
  agentId
  heartbeat
  created
}
fragment TaskRunFields on TaskRun {
  id
  taskSlug
  mapIndex
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  startTime
  endTime
}`) as unknown as TypedDocumentString<FlowRunLiveSubscription, FlowRunLiveSubscriptionVariables>;
export const LogsDocument = new TypedDocumentString(`
    query Logs($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $first: Int!, $after: String) {
  logs(
    flowRunId: $flowRunId
    taskSlug: $taskSlug
    mapIndex: $mapIndex
    first: $first
    after: $after
  ) {
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      ...LogFields
    }
  }
}
    fragment LogFields on Log {
  id
  taskSlug
  mapIndex
  timestamp
  level
  levelName
  message
  name
}`) as unknown as TypedDocumentString<LogsQuery, LogsQueryVariables>;
export const LogsTailDocument = new TypedDocumentString(`
    query LogsTail($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $last: Int!) {
  logs(
    flowRunId: $flowRunId
    taskSlug: $taskSlug
    mapIndex: $mapIndex
    last: $last
  ) {
    pageInfo {
      endCursor
    }
    nodes {
      ...LogFields
    }
  }
}
    fragment LogFields on Log {
  id
  taskSlug
  mapIndex
  timestamp
  level
  levelName
  message
  name
}`) as unknown as TypedDocumentString<LogsTailQuery, LogsTailQueryVariables>;
export const LogsLiveDocument = new TypedDocumentString(`
    subscription LogsLive($flowRunId: ID!, $after: String) {
  logs(flowRunId: $flowRunId, after: $after) {
    ...LogFields
  }
}
    fragment LogFields on Log {
  id
  taskSlug
  mapIndex
  timestamp
  level
  levelName
  message
  name
}`) as unknown as TypedDocumentString<LogsLiveSubscription, LogsLiveSubscriptionVariables>;
export const SetFlowRunStatesDocument = new TypedDocumentString(`
    mutation SetFlowRunStates($changes: [JSON!]!) {
  setFlowRunStates(changes: $changes) {
    accepted
    state
    code
    reason
  }
}
    `) as unknown as TypedDocumentString<SetFlowRunStatesMutation, SetFlowRunStatesMutationVariables>;
export const CancelDocument = new TypedDocumentString(`
    mutation Cancel($id: ID!) {
  cancelFlowRun(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<CancelMutation, CancelMutationVariables>;
export const RestartDocument = new TypedDocumentString(`
    mutation Restart($id: ID!) {
  restartFlowRun(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<RestartMutation, RestartMutationVariables>;
export const DeleteDocument = new TypedDocumentString(`
    mutation Delete($id: ID!) {
  deleteFlowRun(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteMutation, DeleteMutationVariables>;
export const AgentsDocument = new TypedDocumentString(`
    query Agents {
  agents {
    id
    name
    labels
    version
    lastHeartbeat
    created
    runsInFlight
    health
    problem
    recentRuns(first: 10) {
      id
      name
      flowName
      state
      scheduledStartTime
      startTime
      endTime
    }
  }
}
    `) as unknown as TypedDocumentString<AgentsQuery, AgentsQueryVariables>;
export const DeletionPreviewDocument = new TypedDocumentString(`
    query DeletionPreview($flowGroupId: ID, $flowId: ID, $project: String) {
  deletionPreview(flowGroupId: $flowGroupId, flowId: $flowId, project: $project) {
    ...DeletionPreviewFields
  }
}
    fragment DeletionPreviewFields on DeletionPreview {
  kind
  name
  version
  flows
  versions
  runs
  runsInProgress
}`) as unknown as TypedDocumentString<DeletionPreviewQuery, DeletionPreviewQueryVariables>;
export const DeleteFlowDocument = new TypedDocumentString(`
    mutation DeleteFlow($flowGroupId: ID, $flowId: ID, $force: Boolean!) {
  deleteFlow(flowGroupId: $flowGroupId, flowId: $flowId, force: $force) {
    ...DeletionPreviewFields
  }
}
    fragment DeletionPreviewFields on DeletionPreview {
  kind
  name
  version
  flows
  versions
  runs
  runsInProgress
}`) as unknown as TypedDocumentString<DeleteFlowMutation, DeleteFlowMutationVariables>;
export const DeleteProjectCheckedDocument = new TypedDocumentString(`
    mutation DeleteProjectChecked($id: ID!, $force: Boolean!) {
  deleteProject(id: $id, force: $force)
}
    `) as unknown as TypedDocumentString<DeleteProjectCheckedMutation, DeleteProjectCheckedMutationVariables>;
export const ArchiveFlowGroupDocument = new TypedDocumentString(`
    mutation ArchiveFlowGroup($id: ID!) {
  archiveFlowGroup(id: $id) {
    id
    scheduleActive
  }
}
    `) as unknown as TypedDocumentString<ArchiveFlowGroupMutation, ArchiveFlowGroupMutationVariables>;
export const UnarchiveFlowGroupDocument = new TypedDocumentString(`
    mutation UnarchiveFlowGroup($id: ID!) {
  unarchiveFlowGroup(id: $id) {
    id
    scheduleActive
  }
}
    `) as unknown as TypedDocumentString<UnarchiveFlowGroupMutation, UnarchiveFlowGroupMutationVariables>;
export const ActivityDocument = new TypedDocumentString(`
    query Activity($kinds: [String!], $flow: String, $since: DateTime, $first: Int, $after: String) {
  activity(
    kinds: $kinds
    flow: $flow
    since: $since
    first: $first
    after: $after
  ) {
    nodes {
      ...ActivityEventFields
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment ActivityEventFields on ActivityEvent {
  id
  kind
  occurred
  message
  flowName
  flowRunId
  data
}`) as unknown as TypedDocumentString<ActivityQuery, ActivityQueryVariables>;
export const ActivityLiveDocument = new TypedDocumentString(`
    subscription ActivityLive($kinds: [String!], $flow: String) {
  activity(kinds: $kinds, flow: $flow) {
    ...ActivityEventFields
  }
}
    fragment ActivityEventFields on ActivityEvent {
  id
  kind
  occurred
  message
  flowName
  flowRunId
  data
}`) as unknown as TypedDocumentString<ActivityLiveSubscription, ActivityLiveSubscriptionVariables>;
export const RunInsightDocument = new TypedDocumentString(`
    query RunInsight($id: ID!) {
  flowRun(id: $id) {
    id
    attempts {
      number
      began
      state
      stateType
      message
      startTime
      endTime
    }
    failureSummary {
      ...FailureSummaryFields
    }
    agentMatch {
      ...AgentMatchFields
    }
  }
}
    fragment FailureSummaryFields on FailureSummary {
  text
  total
  causes {
    taskSlug
    mapIndex
    taskRunName
    state
    exceptionType
    message
  }
}
fragment AgentMatchFields on AgentMatch {
  covered
  healthyAgents
  matchingAgents
  missingLabels
  closestAgent
  suggestion
}`) as unknown as TypedDocumentString<RunInsightQuery, RunInsightQueryVariables>;
export const RestartPreviewDocument = new TypedDocumentString(`
    query RestartPreview($id: ID!) {
  flowRun(id: $id) {
    id
    restartPreview {
      restartable
      state
      rerunCount
      reusedCount
      rerun {
        taskSlug
        reason
        count
        mapIndexes
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RestartPreviewQuery, RestartPreviewQueryVariables>;
export const RunsPageDocument = new TypedDocumentString(`
    query RunsPage($states: [String!], $flowName: String, $project: String, $labels: [String!], $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime, $startedBefore: DateTime, $search: String, $orderBy: FlowRunOrder, $first: Int, $after: String) {
  flowRuns(
    states: $states
    flowName: $flowName
    project: $project
    labels: $labels
    agentId: $agentId
    scheduledAfter: $scheduledAfter
    scheduledBefore: $scheduledBefore
    startedAfter: $startedAfter
    startedBefore: $startedBefore
    search: $search
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      ...FlowRunFields
    }
  }
}
    fragment FlowRunFields on FlowRun {
  id
  flowId
  flowGroupId
  flowName
  name
  state
  stateType
  stateMessage
  stateTimestamp
  version
  runCount
  parameters
  labels
  scheduledStartTime
  startTime
  endTime
  autoScheduled
  agentId
  heartbeat
  created
}`) as unknown as TypedDocumentString<RunsPageQuery, RunsPageQueryVariables>;
export const RunsPageCountDocument = new TypedDocumentString(`
    query RunsPageCount($states: [String!], $flowName: String, $project: String, $labels: [String!], $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime, $startedBefore: DateTime, $search: String) {
  flowRuns(
    states: $states
    flowName: $flowName
    project: $project
    labels: $labels
    agentId: $agentId
    scheduledAfter: $scheduledAfter
    scheduledBefore: $scheduledBefore
    startedAfter: $startedAfter
    startedBefore: $startedBefore
    search: $search
    first: 0
  ) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<RunsPageCountQuery, RunsPageCountQueryVariables>;
export const RunsPageChoicesDocument = new TypedDocumentString(`
    query RunsPageChoices {
  projects {
    id
    name
  }
  flows(first: 500) {
    nodes {
      id
      name
      projectName
    }
  }
  agents {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<RunsPageChoicesQuery, RunsPageChoicesQueryVariables>;
export const RunsTimelineDocument = new TypedDocumentString(`
    query RunsTimeline($startedAfter: DateTime!, $startedBefore: DateTime!, $first: Int!, $states: [String!], $flowName: String, $project: String) {
  flowRuns(
    startedAfter: $startedAfter
    startedBefore: $startedBefore
    states: $states
    flowName: $flowName
    project: $project
    orderBy: START_TIME_ASC
    first: $first
  ) {
    totalCount
    nodes {
      id
      name
      flowName
      state
      startTime
      endTime
    }
  }
}
    `) as unknown as TypedDocumentString<RunsTimelineQuery, RunsTimelineQueryVariables>;
export const CancelFlowRunsDocument = new TypedDocumentString(`
    mutation CancelFlowRuns($ids: [ID!]!) {
  cancelFlowRuns(ids: $ids) {
    ...BulkRunResultFields
  }
}
    fragment BulkRunResultFields on BulkRunResult {
  flowRunId
  ok
  state
  code
  message
}`) as unknown as TypedDocumentString<CancelFlowRunsMutation, CancelFlowRunsMutationVariables>;
export const RestartFlowRunsDocument = new TypedDocumentString(`
    mutation RestartFlowRuns($ids: [ID!]!) {
  restartFlowRuns(ids: $ids) {
    ...BulkRunResultFields
  }
}
    fragment BulkRunResultFields on BulkRunResult {
  flowRunId
  ok
  state
  code
  message
}`) as unknown as TypedDocumentString<RestartFlowRunsMutation, RestartFlowRunsMutationVariables>;
export const DeleteFlowRunsDocument = new TypedDocumentString(`
    mutation DeleteFlowRuns($ids: [ID!]!) {
  deleteFlowRuns(ids: $ids) {
    ...BulkRunResultFields
  }
}
    fragment BulkRunResultFields on BulkRunResult {
  flowRunId
  ok
  state
  code
  message
}`) as unknown as TypedDocumentString<DeleteFlowRunsMutation, DeleteFlowRunsMutationVariables>;
export const FlowScheduleDocument = new TypedDocumentString(`
    query FlowSchedule($flowId: ID!) {
  flowSchedule(flowId: $flowId) {
    ...FlowScheduleFields
  }
}
    fragment FlowScheduleFields on FlowSchedule {
  flowGroupId
  flowId
  source
  overridden
  overriddenAt
  active
  parameterSchema
  version
  clocks {
    index
    kind
    intervalSeconds
    cron
    dayOr
    rrule
    timezone
    startDate
    endDate
    parameterDefaults
    labels
  }
  nextTimes(n: 10)
}`) as unknown as TypedDocumentString<FlowScheduleQuery, FlowScheduleQueryVariables>;
export const SchedulePreviewDocument = new TypedDocumentString(`
    query SchedulePreview($clock: ScheduleClockInput!, $flowId: ID) {
  schedulePreview(clock: $clock, flowId: $flowId, n: 10) {
    times
    error
  }
}
    `) as unknown as TypedDocumentString<SchedulePreviewQuery, SchedulePreviewQueryVariables>;
export const AddScheduleClockDocument = new TypedDocumentString(`
    mutation AddScheduleClock($flowId: ID!, $clock: ScheduleClockInput!, $expectedVersion: String) {
  addScheduleClock(
    flowId: $flowId
    clock: $clock
    expectedVersion: $expectedVersion
  ) {
    ...FlowScheduleFields
  }
}
    fragment FlowScheduleFields on FlowSchedule {
  flowGroupId
  flowId
  source
  overridden
  overriddenAt
  active
  parameterSchema
  version
  clocks {
    index
    kind
    intervalSeconds
    cron
    dayOr
    rrule
    timezone
    startDate
    endDate
    parameterDefaults
    labels
  }
  nextTimes(n: 10)
}`) as unknown as TypedDocumentString<AddScheduleClockMutation, AddScheduleClockMutationVariables>;
export const UpdateScheduleClockDocument = new TypedDocumentString(`
    mutation UpdateScheduleClock($flowId: ID!, $index: Int!, $clock: ScheduleClockInput!, $expectedVersion: String) {
  updateScheduleClock(
    flowId: $flowId
    index: $index
    clock: $clock
    expectedVersion: $expectedVersion
  ) {
    ...FlowScheduleFields
  }
}
    fragment FlowScheduleFields on FlowSchedule {
  flowGroupId
  flowId
  source
  overridden
  overriddenAt
  active
  parameterSchema
  version
  clocks {
    index
    kind
    intervalSeconds
    cron
    dayOr
    rrule
    timezone
    startDate
    endDate
    parameterDefaults
    labels
  }
  nextTimes(n: 10)
}`) as unknown as TypedDocumentString<UpdateScheduleClockMutation, UpdateScheduleClockMutationVariables>;
export const RemoveScheduleClockDocument = new TypedDocumentString(`
    mutation RemoveScheduleClock($flowId: ID!, $index: Int!, $expectedVersion: String) {
  removeScheduleClock(
    flowId: $flowId
    index: $index
    expectedVersion: $expectedVersion
  ) {
    ...FlowScheduleFields
  }
}
    fragment FlowScheduleFields on FlowSchedule {
  flowGroupId
  flowId
  source
  overridden
  overriddenAt
  active
  parameterSchema
  version
  clocks {
    index
    kind
    intervalSeconds
    cron
    dayOr
    rrule
    timezone
    startDate
    endDate
    parameterDefaults
    labels
  }
  nextTimes(n: 10)
}`) as unknown as TypedDocumentString<RemoveScheduleClockMutation, RemoveScheduleClockMutationVariables>;
export const ResetFlowScheduleDocument = new TypedDocumentString(`
    mutation ResetFlowSchedule($flowId: ID!, $expectedVersion: String) {
  resetFlowSchedule(flowId: $flowId, expectedVersion: $expectedVersion) {
    ...FlowScheduleFields
  }
}
    fragment FlowScheduleFields on FlowSchedule {
  flowGroupId
  flowId
  source
  overridden
  overriddenAt
  active
  parameterSchema
  version
  clocks {
    index
    kind
    intervalSeconds
    cron
    dayOr
    rrule
    timezone
    startDate
    endDate
    parameterDefaults
    labels
  }
  nextTimes(n: 10)
}`) as unknown as TypedDocumentString<ResetFlowScheduleMutation, ResetFlowScheduleMutationVariables>;
export const BackfillPreviewDocument = new TypedDocumentString(`
    query BackfillPreview($flowId: ID!, $start: DateTime!, $end: DateTime!) {
  backfillPreview(flowId: $flowId, start: $start, end: $end) {
    times
    existing
    new
    maxRuns
    first {
      start
      exists
    }
    last {
      start
      exists
    }
  }
}
    `) as unknown as TypedDocumentString<BackfillPreviewQuery, BackfillPreviewQueryVariables>;
export const CreateBackfillDocument = new TypedDocumentString(`
    mutation CreateBackfill($flowId: ID!, $start: DateTime!, $end: DateTime!, $maxConcurrent: Int!) {
  createBackfill(
    flowId: $flowId
    start: $start
    end: $end
    maxConcurrent: $maxConcurrent
  ) {
    ...BackfillFields
  }
}
    fragment BackfillFields on Backfill {
  id
  flowId
  flowName
  start
  end
  maxConcurrent
  total
  skipped
  createdRuns
  finished
  state
  created
  ended
  counts {
    state
    count
  }
}`) as unknown as TypedDocumentString<CreateBackfillMutation, CreateBackfillMutationVariables>;
export const FlowBackfillsDocument = new TypedDocumentString(`
    query FlowBackfills($flowId: ID!) {
  backfills(flowId: $flowId) {
    ...BackfillFields
  }
}
    fragment BackfillFields on Backfill {
  id
  flowId
  flowName
  start
  end
  maxConcurrent
  total
  skipped
  createdRuns
  finished
  state
  created
  ended
  counts {
    state
    count
  }
}`) as unknown as TypedDocumentString<FlowBackfillsQuery, FlowBackfillsQueryVariables>;
export const BackfillDocument = new TypedDocumentString(`
    query Backfill($id: ID!) {
  backfill(id: $id) {
    ...BackfillFields
    runs(first: 200) {
      id
      name
      state
      stateType
      scheduledStartTime
      startTime
      endTime
    }
  }
}
    fragment BackfillFields on Backfill {
  id
  flowId
  flowName
  start
  end
  maxConcurrent
  total
  skipped
  createdRuns
  finished
  state
  created
  ended
  counts {
    state
    count
  }
}`) as unknown as TypedDocumentString<BackfillQuery, BackfillQueryVariables>;
export const CancelBackfillDocument = new TypedDocumentString(`
    mutation CancelBackfill($id: ID!) {
  cancelBackfill(id: $id) {
    ...BackfillFields
  }
}
    fragment BackfillFields on Backfill {
  id
  flowId
  flowName
  start
  end
  maxConcurrent
  total
  skipped
  createdRuns
  finished
  state
  created
  ended
  counts {
    state
    count
  }
}`) as unknown as TypedDocumentString<CancelBackfillMutation, CancelBackfillMutationVariables>;
export const QuickRunFlowDocument = new TypedDocumentString(`
    query QuickRunFlow($id: ID!) {
  flow(id: $id) {
    id
    name
    archived
    parameterSchema
    labels
  }
}
    `) as unknown as TypedDocumentString<QuickRunFlowQuery, QuickRunFlowQueryVariables>;
export const QuickRunDocument = new TypedDocumentString(`
    mutation QuickRun($input: CreateFlowRunInput!) {
  createFlowRun(input: $input) {
    id
    name
    state
  }
}
    `) as unknown as TypedDocumentString<QuickRunMutation, QuickRunMutationVariables>;
export const MarkFlowRunDocument = new TypedDocumentString(`
    mutation MarkFlowRun($id: ID!, $state: String!, $reason: String!) {
  markFlowRun(id: $id, state: $state, reason: $reason) {
    id
    state
    stateMessage
    version
  }
}
    `) as unknown as TypedDocumentString<MarkFlowRunMutation, MarkFlowRunMutationVariables>;
export const MarkTaskRunDocument = new TypedDocumentString(`
    mutation MarkTaskRun($id: ID!, $state: String!, $reason: String!) {
  markTaskRun(id: $id, state: $state, reason: $reason) {
    id
    state
    stateMessage
    version
  }
}
    `) as unknown as TypedDocumentString<MarkTaskRunMutation, MarkTaskRunMutationVariables>;
export const RestartFromPreviewDocument = new TypedDocumentString(`
    query RestartFromPreview($id: ID!, $fromTasks: [String!]) {
  flowRun(id: $id) {
    id
    restartPreview(fromTasks: $fromTasks) {
      restartable
      state
      rerunCount
      reusedCount
      rerun {
        taskSlug
        reason
        count
        mapIndexes
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RestartFromPreviewQuery, RestartFromPreviewQueryVariables>;
export const RestartFromDocument = new TypedDocumentString(`
    mutation RestartFrom($id: ID!, $fromTasks: [String!]!) {
  restartFlowRunFrom(id: $id, fromTasks: $fromTasks) {
    id
    state
    stateMessage
  }
}
    `) as unknown as TypedDocumentString<RestartFromMutation, RestartFromMutationVariables>;
export const OtherRunsDocument = new TypedDocumentString(`
    query OtherRuns($flowGroupId: ID!, $first: Int!) {
  flowRuns(
    flowGroupId: $flowGroupId
    first: $first
    orderBy: SCHEDULED_START_TIME_DESC
  ) {
    nodes {
      id
      name
      state
      scheduledStartTime
    }
  }
}
    `) as unknown as TypedDocumentString<OtherRunsQuery, OtherRunsQueryVariables>;
export const CompareFlowRunsDocument = new TypedDocumentString(`
    query CompareFlowRuns($a: ID!, $b: ID!) {
  compareFlowRuns(a: $a, b: $b) {
    a {
      id
      name
      flowId
      flowName
      state
      startTime
      endTime
      scheduledStartTime
    }
    b {
      id
      name
      flowId
      flowName
      state
      startTime
      endTime
      scheduledStartTime
    }
    sameFlow
    sameVersion
    differingTasks
    parameters {
      name
      a
      b
      inA
      inB
      differs
    }
    tasks {
      taskSlug
      mapped
      differences
      a {
        ...TaskSideFields
      }
      b {
        ...TaskSideFields
      }
    }
  }
}
    fragment TaskSideFields on TaskSide {
  taskRunId
  state
  message
  startTime
  endTime
  durationSeconds
  resultLocation
  runCount
  childCount
  children {
    state
    count
  }
}`) as unknown as TypedDocumentString<CompareFlowRunsQuery, CompareFlowRunsQueryVariables>;
export const SwitchTeamDocument = new TypedDocumentString(`
    mutation SwitchTeam($teamId: ID!) {
  switchTeam(teamId: $teamId) {
    currentTeam {
      id
      name
    }
    role
  }
}
    `) as unknown as TypedDocumentString<SwitchTeamMutation, SwitchTeamMutationVariables>;
export const CreateTeamDocument = new TypedDocumentString(`
    mutation CreateTeam($name: String!) {
  createTeam(name: $name) {
    id
    name
    slug
    role
  }
}
    `) as unknown as TypedDocumentString<CreateTeamMutation, CreateTeamMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}
    `) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const MembersDocument = new TypedDocumentString(`
    query Members {
  members {
    userId
    email
    name
    role
    joined
  }
}
    `) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const InvitationsDocument = new TypedDocumentString(`
    query Invitations {
  invitations {
    id
    email
    role
    expires
    accepted
  }
}
    `) as unknown as TypedDocumentString<InvitationsQuery, InvitationsQueryVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($email: String!, $role: String!) {
  inviteMember(email: $email, role: $role) {
    url
    token
    invitation {
      id
      email
      role
      expires
    }
  }
}
    `) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($token: String!, $password: String, $name: String) {
  acceptInvitation(token: $token, password: $password, name: $name) {
    user {
      email
    }
    team {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const SetMemberRoleDocument = new TypedDocumentString(`
    mutation SetMemberRole($userId: ID!, $role: String!) {
  setMemberRole(userId: $userId, role: $role) {
    userId
    role
  }
}
    `) as unknown as TypedDocumentString<SetMemberRoleMutation, SetMemberRoleMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($userId: ID!) {
  removeMember(userId: $userId)
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys {
  apiKeys {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  userId
  userEmail
  serviceAccount
  createdBy
  created
  expiresAt
  lastUsed
  revoked
}`) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($name: String!, $role: String, $expiresAt: DateTime) {
  createApiKey(name: $name, role: $role, expiresAt: $expiresAt) {
    key
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  userId
  userEmail
  serviceAccount
  createdBy
  created
  expiresAt
  lastUsed
  revoked
}`) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const CreateServiceAccountDocument = new TypedDocumentString(`
    mutation CreateServiceAccount($name: String!, $role: String!, $expiresAt: DateTime) {
  createServiceAccount(name: $name, role: $role, expiresAt: $expiresAt) {
    key
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  userId
  userEmail
  serviceAccount
  createdBy
  created
  expiresAt
  lastUsed
  revoked
}`) as unknown as TypedDocumentString<CreateServiceAccountMutation, CreateServiceAccountMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revoked
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const SecretsDocument = new TypedDocumentString(`
    query Secrets {
  secrets {
    name
    created
    updated
    createdBy
    updatedBy
  }
}
    `) as unknown as TypedDocumentString<SecretsQuery, SecretsQueryVariables>;
export const SetSecretDocument = new TypedDocumentString(`
    mutation SetSecret($name: String!, $value: String!) {
  setSecret(name: $name, value: $value) {
    name
    updated
  }
}
    `) as unknown as TypedDocumentString<SetSecretMutation, SetSecretMutationVariables>;
export const DeleteSecretDocument = new TypedDocumentString(`
    mutation DeleteSecret($name: String!) {
  deleteSecret(name: $name)
}
    `) as unknown as TypedDocumentString<DeleteSecretMutation, DeleteSecretMutationVariables>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($actor: String, $action: String, $objectType: String, $objectId: String, $since: DateTime, $until: DateTime, $machine: Boolean, $first: Int!, $after: String) {
  auditEvents(
    actor: $actor
    action: $action
    objectType: $objectType
    objectId: $objectId
    since: $since
    until: $until
    machine: $machine
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      id
      occurred
      action
      actor
      actorKind
      actorUserId
      actorApiKeyId
      objectType
      objectId
      success
      details
    }
  }
}
    `) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
export const RetentionPolicyDocument = new TypedDocumentString(`
    query RetentionPolicy {
  retentionPolicy {
    days
    logMaxBytes
    keepNewestRuns
    team {
      days
      logMaxBytes
      keepNewestRuns
    }
    serverDefault {
      days
      logMaxBytes
      keepNewestRuns
    }
    databaseSizeBytes
    databaseDialect
  }
}
    `) as unknown as TypedDocumentString<RetentionPolicyQuery, RetentionPolicyQueryVariables>;
export const SetRetentionPolicyDocument = new TypedDocumentString(`
    mutation SetRetentionPolicy($days: Float, $logMaxBytes: Float, $keepNewestRuns: Int) {
  setRetentionPolicy(
    days: $days
    logMaxBytes: $logMaxBytes
    keepNewestRuns: $keepNewestRuns
  ) {
    days
  }
}
    `) as unknown as TypedDocumentString<SetRetentionPolicyMutation, SetRetentionPolicyMutationVariables>;