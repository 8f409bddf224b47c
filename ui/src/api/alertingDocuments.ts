/** The GraphQL documents of automations, the delivery log, SLAs and concurrency limits. */
import { graphql } from "../gql";

graphql(`
fragment AutomationFields on Automation {
  id name description enabled created updated
  trigger { type states projectId flowGroupIds tags kinds agentNames count taskSlugs }
  actions { type url headers message to subject flowGroupId parameters }
}`);

graphql(`
fragment NotificationFields on Notification {
  id automationId automationName actionIndex actionType triggerKey event flowRunId test status
  attemptCount lastError nextAttemptAt deliveredAt created updated
  attempts { number success statusCode error detail started durationMs }
}`);

export const AUTOMATIONS = graphql(`query Automations { automations { ...AutomationFields } }`);
export const AUTOMATION = graphql(`query Automation($id: ID!) { automation(id: $id) { ...AutomationFields } }`);

/** What the automation form offers to pick from: projects, flows, agents. */
export const AUTOMATION_CHOICES = graphql(`
query AutomationChoices {
  projects { id name }
  flows(first: 500) { nodes { id flowGroupId name projectName } }
  agents { id name }
}`);

export const CREATE_AUTOMATION = graphql(`
mutation CreateAutomation($input: AutomationInput!) { createAutomation(input: $input) { id name signingSecret } }`);
export const UPDATE_AUTOMATION = graphql(`
mutation UpdateAutomation($id: ID!, $input: AutomationPatch!) { updateAutomation(id: $id, input: $input) { id name signingSecret } }`);
export const DELETE_AUTOMATION = graphql(`mutation DeleteAutomation($id: ID!) { deleteAutomation(id: $id) }`);
export const SET_AUTOMATION_ENABLED = graphql(`
mutation SetAutomationEnabled($id: ID!, $enabled: Boolean!) { setAutomationEnabled(id: $id, enabled: $enabled) { id enabled } }`);
export const SEND_TEST_NOTIFICATION = graphql(`
mutation SendTestNotification($automationId: ID!) { sendTestNotification(automationId: $automationId) { ...NotificationFields } }`);

export const NOTIFICATIONS = graphql(`
query Notifications($automationId: ID, $status: String, $since: DateTime, $flowRunId: ID, $first: Int!, $after: String) {
  notifications(automationId: $automationId, status: $status, since: $since, flowRunId: $flowRunId, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ...NotificationFields }
  }
}`);

export const FLOW_SLA = graphql(`
query FlowSla($flowId: ID!) { flowSla(flowId: $flowId) { flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated } }`);
export const SET_FLOW_SLA = graphql(`
mutation SetFlowSla($flowId: ID!, $lateStartSeconds: Float, $longRunSeconds: Float, $missedRunSeconds: Float) {
  setFlowSla(flowId: $flowId, lateStartSeconds: $lateStartSeconds, longRunSeconds: $longRunSeconds, missedRunSeconds: $missedRunSeconds) {
    flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated
  }
}`);
export const SLA_BREACHES = graphql(`
query SlaBreaches($flowId: ID, $since: DateTime, $first: Int!) {
  slaBreaches(flowId: $flowId, since: $since, first: $first) {
    totalCount
    nodes { id flowGroupId flowName flowRunId kind subject thresholdSeconds expectedAt detected message }
  }
}`);

graphql(`
fragment ConcurrencyLimitFields on ConcurrencyLimit {
  id kind key limit inUse created updated
  holders { flowRunId flowRunName taskRunId taskSlug mapIndex state acquired }
}`);
export const CONCURRENCY_LIMITS = graphql(`query ConcurrencyLimits { concurrencyLimits { ...ConcurrencyLimitFields } }`);
export const SET_CONCURRENCY_LIMIT = graphql(`
mutation SetConcurrencyLimit($kind: String!, $key: String!, $limit: Int!) {
  setConcurrencyLimit(kind: $kind, key: $key, limit: $limit) { ...ConcurrencyLimitFields }
}`);
export const DELETE_CONCURRENCY_LIMIT = graphql(`
mutation DeleteConcurrencyLimit($kind: String!, $key: String!) { deleteConcurrencyLimit(kind: $kind, key: $key) }`);
