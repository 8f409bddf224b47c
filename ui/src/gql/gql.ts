/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation DeleteAgent($id: ID!) { deleteAgent(id: $id) }": typeof types.DeleteAgentDocument,
    "\nfragment AutomationFields on Automation {\n  id name description enabled created updated\n  trigger { type states projectId flowGroupIds tags kinds agentNames count taskSlugs }\n  actions { type url headers message to subject flowGroupId parameters }\n}": typeof types.AutomationFieldsFragmentDoc,
    "\nfragment NotificationFields on Notification {\n  id automationId automationName actionIndex actionType triggerKey event flowRunId test status\n  attemptCount lastError nextAttemptAt deliveredAt created updated\n  attempts { number success statusCode error detail started durationMs }\n}": typeof types.NotificationFieldsFragmentDoc,
    "query Automations { automations { ...AutomationFields } }": typeof types.AutomationsDocument,
    "query Automation($id: ID!) { automation(id: $id) { ...AutomationFields } }": typeof types.AutomationDocument,
    "\nquery AutomationChoices {\n  projects { id name }\n  flows(first: 500) { nodes { id flowGroupId name projectName } }\n  agents { id name }\n}": typeof types.AutomationChoicesDocument,
    "\nmutation CreateAutomation($input: AutomationInput!) { createAutomation(input: $input) { id name signingSecret } }": typeof types.CreateAutomationDocument,
    "\nmutation UpdateAutomation($id: ID!, $input: AutomationPatch!) { updateAutomation(id: $id, input: $input) { id name signingSecret } }": typeof types.UpdateAutomationDocument,
    "mutation DeleteAutomation($id: ID!) { deleteAutomation(id: $id) }": typeof types.DeleteAutomationDocument,
    "\nmutation SetAutomationEnabled($id: ID!, $enabled: Boolean!) { setAutomationEnabled(id: $id, enabled: $enabled) { id enabled } }": typeof types.SetAutomationEnabledDocument,
    "\nmutation SendTestNotification($automationId: ID!) { sendTestNotification(automationId: $automationId) { ...NotificationFields } }": typeof types.SendTestNotificationDocument,
    "\nquery Notifications($automationId: ID, $status: String, $since: DateTime, $flowRunId: ID, $first: Int!, $after: String) {\n  notifications(automationId: $automationId, status: $status, since: $since, flowRunId: $flowRunId, first: $first, after: $after) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...NotificationFields }\n  }\n}": typeof types.NotificationsDocument,
    "\nquery FlowSla($flowId: ID!) { flowSla(flowId: $flowId) { flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated } }": typeof types.FlowSlaDocument,
    "\nmutation SetFlowSla($flowId: ID!, $lateStartSeconds: Float, $longRunSeconds: Float, $missedRunSeconds: Float) {\n  setFlowSla(flowId: $flowId, lateStartSeconds: $lateStartSeconds, longRunSeconds: $longRunSeconds, missedRunSeconds: $missedRunSeconds) {\n    flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated\n  }\n}": typeof types.SetFlowSlaDocument,
    "\nquery SlaBreaches($flowId: ID, $since: DateTime, $first: Int!) {\n  slaBreaches(flowId: $flowId, since: $since, first: $first) {\n    totalCount\n    nodes { id flowGroupId flowName flowRunId kind subject thresholdSeconds expectedAt detected message }\n  }\n}": typeof types.SlaBreachesDocument,
    "\nfragment ConcurrencyLimitFields on ConcurrencyLimit {\n  id kind key limit inUse created updated\n  holders { flowRunId flowRunName taskRunId taskSlug mapIndex state acquired }\n}": typeof types.ConcurrencyLimitFieldsFragmentDoc,
    "query ConcurrencyLimits { concurrencyLimits { ...ConcurrencyLimitFields } }": typeof types.ConcurrencyLimitsDocument,
    "\nmutation SetConcurrencyLimit($kind: String!, $key: String!, $limit: Int!) {\n  setConcurrencyLimit(kind: $kind, key: $key, limit: $limit) { ...ConcurrencyLimitFields }\n}": typeof types.SetConcurrencyLimitDocument,
    "\nmutation DeleteConcurrencyLimit($kind: String!, $key: String!) { deleteConcurrencyLimit(kind: $kind, key: $key) }": typeof types.DeleteConcurrencyLimitDocument,
    "\nfragment ArtifactFields on Artifact {\n  id key type description data flowRunId flowRunName flowName taskRunId taskSlug mapIndex\n  created updated\n}": typeof types.ArtifactFieldsFragmentDoc,
    "\nquery TaskRunOutputs($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {\n  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {\n    id\n    artifacts { ...ArtifactFields }\n    result { location size serializer resultType preview previewNote loadSnippet }\n  }\n}": typeof types.TaskRunOutputsDocument,
    "\nquery ArtifactsPage($key: String, $type: String, $latestPerKey: Boolean!, $first: Int, $after: String) {\n  artifactsPage(key: $key, type: $type, latestPerKey: $latestPerKey, first: $first, after: $after) {\n    nodes { ...ArtifactFields }\n    pageInfo { endCursor hasNextPage }\n  }\n}": typeof types.ArtifactsPageDocument,
    "\nquery RunArtifactsPage($flowRunId: ID!, $first: Int!, $after: String) {\n  artifactsPage(flowRunId: $flowRunId, first: $first, after: $after) {\n    nodes { ...ArtifactFields }\n    pageInfo { endCursor hasNextPage }\n    totalCount\n  }\n}": typeof types.RunArtifactsPageDocument,
    "\nfragment FlowRunFields on FlowRun {\n  id flowId flowGroupId flowName name state stateType stateMessage stateTimestamp version\n  runCount parameters labels scheduledStartTime startTime endTime autoScheduled agentId\n  heartbeat created\n}": typeof types.FlowRunFieldsFragmentDoc,
    "\nfragment TaskRunFields on TaskRun {\n  id taskSlug mapIndex state stateType stateMessage stateTimestamp version runCount\n  startTime endTime\n}": typeof types.TaskRunFieldsFragmentDoc,
    "fragment LogFields on Log { id taskSlug mapIndex timestamp level levelName message name }": typeof types.LogFieldsFragmentDoc,
    "\nfragment FlowSummaryFields on Flow {\n  id flowGroupId projectId projectName name version description labels schedule\n  scheduleActive archived created\n}": typeof types.FlowSummaryFieldsFragmentDoc,
    "\nfragment FlowTaskFields on FlowTask {\n  id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description\n}": typeof types.FlowTaskFieldsFragmentDoc,
    "fragment FlowEdgeFields on FlowGraphEdge { upstream downstream key mapped flatten }": typeof types.FlowEdgeFieldsFragmentDoc,
    "fragment StateRecordFields on StateRecord { id state stateType message timestamp startTime version }": typeof types.StateRecordFieldsFragmentDoc,
    "\nquery Dashboard($since: DateTime!, $bucket: Int!, $now: DateTime!, $until: DateTime!) {\n  runCounts(since: $since, bucketSeconds: $bucket, until: $until) { bucketStart state count }\n  active: flowRuns(states: [\"Submitted\", \"Running\", \"Cancelling\", \"Paused\"], first: 20,\n                   orderBy: STATE_TIMESTAMP_DESC) {\n    totalCount nodes { ...FlowRunFields }\n  }\n  upcoming: flowRuns(states: [\"Scheduled\", \"Pending\"], first: 10, orderBy: SCHEDULED_START_TIME_ASC) {\n    totalCount nodes { ...FlowRunFields agentMatch { covered missingLabels suggestion } }\n  }\n  late: flowRuns(states: [\"Scheduled\", \"Pending\"], scheduledBefore: $now, first: 1) { totalCount }\n  failures: recentFailures(first: 8) {\n    flowRun { id name flowName state } failedAt state message attempt restarted\n    failureSummary { text total causes { taskSlug mapIndex taskRunName exceptionType message } }\n  }\n  agents { id name labels version lastHeartbeat created runsInFlight health }\n  flows(first: 1) { totalCount }\n}": typeof types.DashboardDocument,
    "subscription RunFeed { runFeed { kind flowRunId state stateType occurred } }": typeof types.RunFeedDocument,
    "query Projects { projects { id name description created flowCount } }": typeof types.ProjectsDocument,
    "\nmutation CreateProject($name: String!, $description: String) {\n  createProject(name: $name, description: $description) { id name }\n}": typeof types.CreateProjectDocument,
    "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }": typeof types.DeleteProjectDocument,
    "\nquery Flows($search: String, $project: String, $first: Int!, $after: String, $includeArchived: Boolean! = false) {\n  flows(search: $search, project: $project, first: $first, after: $after, includeArchived: $includeArchived) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...FlowSummaryFields }\n  }\n}": typeof types.FlowsDocument,
    "fragment LastRunFields on FlowRun { id name state stateType scheduledStartTime startTime endTime }": typeof types.LastRunFieldsFragmentDoc,
    "\nmutation SetScheduleActive($flowId: ID!, $active: Boolean!) {\n  setScheduleActive(flowId: $flowId, active: $active) { id scheduleActive }\n}": typeof types.SetScheduleActiveDocument,
    "\nquery Flow($id: ID!) {\n  flow(id: $id) {\n    ...FlowSummaryFields fingerprint parameterSchema storage runConfig\n    tasks { ...FlowTaskFields }\n    edges { ...FlowEdgeFields }\n    versions { id version created archived fingerprint }\n    nextRunTimes(n: 5)\n  }\n}": typeof types.FlowDocument,
    "\nquery FlowRuns($flowGroupId: ID, $states: [String!], $first: Int!, $after: String,\n               $orderBy: FlowRunOrder, $scheduledAfter: DateTime) {\n  flowRuns(flowGroupId: $flowGroupId, states: $states, first: $first, after: $after,\n           orderBy: $orderBy, scheduledAfter: $scheduledAfter) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...FlowRunFields }\n  }\n}": typeof types.FlowRunsDocument,
    "\nmutation CreateFlowRun($input: CreateFlowRunInput!) {\n  createFlowRun(input: $input) { id name state }\n}": typeof types.CreateFlowRunDocument,
    "\nquery FlowRun($id: ID!) {\n  flowRun(id: $id) {\n    ...FlowRunFields\n    states { ...StateRecordFields }\n    flow {\n      id name\n      tasks { ...FlowTaskFields }\n      edges { ...FlowEdgeFields }\n    }\n    taskRunSummary\n  }\n}": typeof types.FlowRunDocument,
    "query TaskRunSummary($id: ID!) { flowRun(id: $id) { id taskRunSummary } }": typeof types.TaskRunSummaryDocument,
    "\nquery TaskRunRows($id: ID!, $first: Int!, $after: String, $taskSlug: String) {\n  flowRun(id: $id) {\n    taskRunRows(first: $first, after: $after, taskSlug: $taskSlug) {\n      fields rows pageInfo { endCursor hasNextPage }\n    }\n  }\n}": typeof types.TaskRunRowsDocument,
    "\nquery TaskRun($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {\n  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {\n    ...TaskRunFields\n    states { ...StateRecordFields }\n    flowRun { ...FlowRunFields flow { id tasks { slug mapped } } }\n    task { ...FlowTaskFields }\n    upstream { ...FlowEdgeFields }\n    downstream { ...FlowEdgeFields }\n  }\n}": typeof types.TaskRunDocument,
    "\nquery TaskChildren($id: ID!, $taskSlug: String!, $first: Int!, $after: String) {\n  taskRun(flowRunId: $id, taskSlug: $taskSlug) {\n    id\n    children(first: $first, after: $after) { fields rows pageInfo { endCursor hasNextPage } }\n  }\n}": typeof types.TaskChildrenDocument,
    "\nsubscription FlowRunLive($id: ID!, $taskRuns: Boolean! = true) {\n  flowRun(id: $id, taskRuns: $taskRuns) {\n    kind\n    flowRun { ...FlowRunFields }\n    taskRuns { ...TaskRunFields }\n  }\n}": typeof types.FlowRunLiveDocument,
    "\nquery Logs($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $first: Int!, $after: String) {\n  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, first: $first, after: $after) {\n    pageInfo { endCursor hasNextPage }\n    nodes { ...LogFields }\n  }\n}": typeof types.LogsDocument,
    "\nquery LogsTail($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $last: Int!) {\n  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, last: $last) {\n    pageInfo { endCursor }\n    nodes { ...LogFields }\n  }\n}": typeof types.LogsTailDocument,
    "\nsubscription LogsLive($flowRunId: ID!, $after: String) {\n  logs(flowRunId: $flowRunId, after: $after) { ...LogFields }\n}": typeof types.LogsLiveDocument,
    "\nmutation SetFlowRunStates($changes: [JSON!]!) {\n  setFlowRunStates(changes: $changes) { accepted state code reason }\n}": typeof types.SetFlowRunStatesDocument,
    "mutation Cancel($id: ID!) { cancelFlowRun(id: $id) { id state } }": typeof types.CancelDocument,
    "mutation Restart($id: ID!) { restartFlowRun(id: $id) { id state } }": typeof types.RestartDocument,
    "mutation Delete($id: ID!) { deleteFlowRun(id: $id) }": typeof types.DeleteDocument,
    "\nquery Agents {\n  agents {\n    id name labels version lastHeartbeat created runsInFlight health problem\n    recentRuns(first: 10) { id name flowName state scheduledStartTime startTime endTime }\n  }\n}": typeof types.AgentsDocument,
    "fragment DeletionPreviewFields on DeletionPreview { kind name version flows versions runs runsInProgress }": typeof types.DeletionPreviewFieldsFragmentDoc,
    "\nquery DeletionPreview($flowGroupId: ID, $flowId: ID, $project: String) {\n  deletionPreview(flowGroupId: $flowGroupId, flowId: $flowId, project: $project) { ...DeletionPreviewFields }\n}": typeof types.DeletionPreviewDocument,
    "\nmutation DeleteFlow($flowGroupId: ID, $flowId: ID, $force: Boolean!) {\n  deleteFlow(flowGroupId: $flowGroupId, flowId: $flowId, force: $force) { ...DeletionPreviewFields }\n}": typeof types.DeleteFlowDocument,
    "\nmutation DeleteProjectChecked($id: ID!, $force: Boolean!) { deleteProject(id: $id, force: $force) }": typeof types.DeleteProjectCheckedDocument,
    "\nmutation ArchiveFlowGroup($id: ID!) { archiveFlowGroup(id: $id) { id scheduleActive } }": typeof types.ArchiveFlowGroupDocument,
    "\nmutation UnarchiveFlowGroup($id: ID!) { unarchiveFlowGroup(id: $id) { id scheduleActive } }": typeof types.UnarchiveFlowGroupDocument,
    "fragment ActivityEventFields on ActivityEvent { id kind occurred message flowName flowRunId data }": typeof types.ActivityEventFieldsFragmentDoc,
    "\nquery Activity($kinds: [String!], $flow: String, $since: DateTime, $first: Int, $after: String) {\n  activity(kinds: $kinds, flow: $flow, since: $since, first: $first, after: $after) {\n    nodes { ...ActivityEventFields }\n    pageInfo { endCursor hasNextPage }\n  }\n}": typeof types.ActivityDocument,
    "\nsubscription ActivityLive($kinds: [String!], $flow: String) {\n  activity(kinds: $kinds, flow: $flow) { ...ActivityEventFields }\n}": typeof types.ActivityLiveDocument,
    "\nfragment FailureSummaryFields on FailureSummary {\n  text total causes { taskSlug mapIndex taskRunName state exceptionType message }\n}": typeof types.FailureSummaryFieldsFragmentDoc,
    "fragment AgentMatchFields on AgentMatch { covered healthyAgents matchingAgents missingLabels closestAgent suggestion }": typeof types.AgentMatchFieldsFragmentDoc,
    "\nquery RunInsight($id: ID!) {\n  flowRun(id: $id) {\n    id\n    attempts { number began state stateType message startTime endTime }\n    failureSummary { ...FailureSummaryFields }\n    agentMatch { ...AgentMatchFields }\n  }\n}": typeof types.RunInsightDocument,
    "\nquery RestartPreview($id: ID!) {\n  flowRun(id: $id) {\n    id restartPreview { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }\n  }\n}": typeof types.RestartPreviewDocument,
    "\nquery RunsPage($states: [String!], $flowName: String, $project: String, $labels: [String!],\n  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,\n  $startedBefore: DateTime, $search: String, $orderBy: FlowRunOrder, $first: Int, $after: String) {\n  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,\n    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,\n    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search,\n    orderBy: $orderBy, first: $first, after: $after) {\n    pageInfo { endCursor hasNextPage } nodes { ...FlowRunFields }\n  }\n}": typeof types.RunsPageDocument,
    "\nquery RunsPageCount($states: [String!], $flowName: String, $project: String, $labels: [String!],\n  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,\n  $startedBefore: DateTime, $search: String) {\n  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,\n    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,\n    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search, first: 0) { totalCount }\n}": typeof types.RunsPageCountDocument,
    "\nquery RunsPageChoices {\n  projects { id name }\n  flows(first: 500) { nodes { id name projectName } }\n  agents { id name }\n}": typeof types.RunsPageChoicesDocument,
    "\nquery RunsTimeline($startedAfter: DateTime!, $startedBefore: DateTime!, $first: Int!, $states: [String!],\n  $flowName: String, $project: String) {\n  flowRuns(startedAfter: $startedAfter, startedBefore: $startedBefore, states: $states,\n    flowName: $flowName, project: $project, orderBy: START_TIME_ASC, first: $first) {\n    totalCount nodes { id name flowName state startTime endTime }\n  }\n}": typeof types.RunsTimelineDocument,
    "fragment BulkRunResultFields on BulkRunResult { flowRunId ok state code message }": typeof types.BulkRunResultFieldsFragmentDoc,
    "mutation CancelFlowRuns($ids: [ID!]!) { cancelFlowRuns(ids: $ids) { ...BulkRunResultFields } }": typeof types.CancelFlowRunsDocument,
    "mutation RestartFlowRuns($ids: [ID!]!) { restartFlowRuns(ids: $ids) { ...BulkRunResultFields } }": typeof types.RestartFlowRunsDocument,
    "mutation DeleteFlowRuns($ids: [ID!]!) { deleteFlowRuns(ids: $ids) { ...BulkRunResultFields } }": typeof types.DeleteFlowRunsDocument,
    "\nfragment FlowScheduleFields on FlowSchedule {\n  flowGroupId flowId source overridden overriddenAt active parameterSchema version\n  clocks { index kind intervalSeconds cron dayOr rrule timezone startDate endDate parameterDefaults labels }\n  nextTimes(n: 10)\n}": typeof types.FlowScheduleFieldsFragmentDoc,
    "\nquery FlowSchedule($flowId: ID!) {\n  flowSchedule(flowId: $flowId) { ...FlowScheduleFields }\n}": typeof types.FlowScheduleDocument,
    "\nquery SchedulePreview($clock: ScheduleClockInput!, $flowId: ID) {\n  schedulePreview(clock: $clock, flowId: $flowId, n: 10) { times error }\n}": typeof types.SchedulePreviewDocument,
    "\nmutation AddScheduleClock($flowId: ID!, $clock: ScheduleClockInput!, $expectedVersion: String) {\n  addScheduleClock(flowId: $flowId, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": typeof types.AddScheduleClockDocument,
    "\nmutation UpdateScheduleClock($flowId: ID!, $index: Int!, $clock: ScheduleClockInput!, $expectedVersion: String) {\n  updateScheduleClock(flowId: $flowId, index: $index, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": typeof types.UpdateScheduleClockDocument,
    "\nmutation RemoveScheduleClock($flowId: ID!, $index: Int!, $expectedVersion: String) {\n  removeScheduleClock(flowId: $flowId, index: $index, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": typeof types.RemoveScheduleClockDocument,
    "\nmutation ResetFlowSchedule($flowId: ID!, $expectedVersion: String) {\n  resetFlowSchedule(flowId: $flowId, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": typeof types.ResetFlowScheduleDocument,
    "\nfragment BackfillFields on Backfill {\n  id flowId flowName start end maxConcurrent total skipped createdRuns finished state created ended\n  counts { state count }\n}": typeof types.BackfillFieldsFragmentDoc,
    "\nquery BackfillPreview($flowId: ID!, $start: DateTime!, $end: DateTime!) {\n  backfillPreview(flowId: $flowId, start: $start, end: $end) {\n    times existing new maxRuns first { start exists } last { start exists }\n  }\n}": typeof types.BackfillPreviewDocument,
    "\nmutation CreateBackfill($flowId: ID!, $start: DateTime!, $end: DateTime!, $maxConcurrent: Int!) {\n  createBackfill(flowId: $flowId, start: $start, end: $end, maxConcurrent: $maxConcurrent) { ...BackfillFields }\n}": typeof types.CreateBackfillDocument,
    "\nquery FlowBackfills($flowId: ID!) {\n  backfills(flowId: $flowId) { ...BackfillFields }\n}": typeof types.FlowBackfillsDocument,
    "\nquery Backfill($id: ID!) {\n  backfill(id: $id) {\n    ...BackfillFields\n    runs(first: 200) { id name state stateType scheduledStartTime startTime endTime }\n  }\n}": typeof types.BackfillDocument,
    "\nmutation CancelBackfill($id: ID!) {\n  cancelBackfill(id: $id) { ...BackfillFields }\n}": typeof types.CancelBackfillDocument,
    "\nquery QuickRunFlow($id: ID!) {\n  flow(id: $id) { id name archived parameterSchema labels }\n}": typeof types.QuickRunFlowDocument,
    "\nmutation QuickRun($input: CreateFlowRunInput!) {\n  createFlowRun(input: $input) { id name state }\n}": typeof types.QuickRunDocument,
    "\nmutation MarkFlowRun($id: ID!, $state: String!, $reason: String!) {\n  markFlowRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }\n}": typeof types.MarkFlowRunDocument,
    "\nmutation MarkTaskRun($id: ID!, $state: String!, $reason: String!) {\n  markTaskRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }\n}": typeof types.MarkTaskRunDocument,
    "\nquery RestartFromPreview($id: ID!, $fromTasks: [String!]) {\n  flowRun(id: $id) {\n    id restartPreview(fromTasks: $fromTasks) { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }\n  }\n}": typeof types.RestartFromPreviewDocument,
    "\nmutation RestartFrom($id: ID!, $fromTasks: [String!]!) {\n  restartFlowRunFrom(id: $id, fromTasks: $fromTasks) { id state stateMessage }\n}": typeof types.RestartFromDocument,
    "\nquery OtherRuns($flowGroupId: ID!, $first: Int!) {\n  flowRuns(flowGroupId: $flowGroupId, first: $first, orderBy: SCHEDULED_START_TIME_DESC) {\n    nodes { id name state scheduledStartTime }\n  }\n}": typeof types.OtherRunsDocument,
    "\nfragment TaskSideFields on TaskSide {\n  taskRunId state message startTime endTime durationSeconds resultLocation runCount childCount children { state count }\n}": typeof types.TaskSideFieldsFragmentDoc,
    "\nquery CompareFlowRuns($a: ID!, $b: ID!) {\n  compareFlowRuns(a: $a, b: $b) {\n    a { id name flowId flowName state startTime endTime scheduledStartTime }\n    b { id name flowId flowName state startTime endTime scheduledStartTime }\n    sameFlow sameVersion differingTasks\n    parameters { name a b inA inB differs }\n    tasks { taskSlug mapped differences a { ...TaskSideFields } b { ...TaskSideFields } }\n  }\n}": typeof types.CompareFlowRunsDocument,
    "mutation SwitchTeam($teamId: ID!) { switchTeam(teamId: $teamId) { currentTeam { id name } role } }": typeof types.SwitchTeamDocument,
    "mutation CreateTeam($name: String!) { createTeam(name: $name) { id name slug role } }": typeof types.CreateTeamDocument,
    "\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}": typeof types.ChangePasswordDocument,
    "query Members { members { userId email name role joined } }": typeof types.MembersDocument,
    "query Invitations { invitations { id email role expires accepted } }": typeof types.InvitationsDocument,
    "\nmutation InviteMember($email: String!, $role: String!) {\n  inviteMember(email: $email, role: $role) { url token invitation { id email role expires } }\n}": typeof types.InviteMemberDocument,
    "\nmutation AcceptInvitation($token: String!, $password: String, $name: String) {\n  acceptInvitation(token: $token, password: $password, name: $name) { user { email } team { name } }\n}": typeof types.AcceptInvitationDocument,
    "\nmutation SetMemberRole($userId: ID!, $role: String!) { setMemberRole(userId: $userId, role: $role) { userId role } }": typeof types.SetMemberRoleDocument,
    "mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }": typeof types.RemoveMemberDocument,
    "\nfragment ApiKeyFields on ApiKey {\n  id name prefix role userId userEmail serviceAccount createdBy created expiresAt lastUsed revoked\n}": typeof types.ApiKeyFieldsFragmentDoc,
    "query ApiKeys { apiKeys { ...ApiKeyFields } }": typeof types.ApiKeysDocument,
    "\nmutation CreateApiKey($name: String!, $role: String, $expiresAt: DateTime) {\n  createApiKey(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }\n}": typeof types.CreateApiKeyDocument,
    "\nmutation CreateServiceAccount($name: String!, $role: String!, $expiresAt: DateTime) {\n  createServiceAccount(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }\n}": typeof types.CreateServiceAccountDocument,
    "mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revoked } }": typeof types.RevokeApiKeyDocument,
    "query Secrets { secrets { name created updated createdBy updatedBy } }": typeof types.SecretsDocument,
    "mutation SetSecret($name: String!, $value: String!) { setSecret(name: $name, value: $value) { name updated } }": typeof types.SetSecretDocument,
    "mutation DeleteSecret($name: String!) { deleteSecret(name: $name) }": typeof types.DeleteSecretDocument,
    "\nquery AuditEvents($actor: String, $action: String, $objectType: String, $objectId: String,\n                  $since: DateTime, $until: DateTime, $machine: Boolean, $first: Int!, $after: String) {\n  auditEvents(actor: $actor, action: $action, objectType: $objectType, objectId: $objectId,\n              since: $since, until: $until, machine: $machine, first: $first, after: $after) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { id occurred action actor actorKind actorUserId actorApiKeyId objectType objectId success details }\n  }\n}": typeof types.AuditEventsDocument,
    "query RetentionPolicy { retentionPolicy { days logMaxBytes keepNewestRuns\n  team { days logMaxBytes keepNewestRuns } serverDefault { days logMaxBytes keepNewestRuns }\n  databaseSizeBytes databaseDialect } }": typeof types.RetentionPolicyDocument,
    "mutation SetRetentionPolicy($days: Float, $logMaxBytes: Float, $keepNewestRuns: Int) {\n  setRetentionPolicy(days: $days, logMaxBytes: $logMaxBytes, keepNewestRuns: $keepNewestRuns) { days } }": typeof types.SetRetentionPolicyDocument,
};
const documents: Documents = {
    "mutation DeleteAgent($id: ID!) { deleteAgent(id: $id) }": types.DeleteAgentDocument,
    "\nfragment AutomationFields on Automation {\n  id name description enabled created updated\n  trigger { type states projectId flowGroupIds tags kinds agentNames count taskSlugs }\n  actions { type url headers message to subject flowGroupId parameters }\n}": types.AutomationFieldsFragmentDoc,
    "\nfragment NotificationFields on Notification {\n  id automationId automationName actionIndex actionType triggerKey event flowRunId test status\n  attemptCount lastError nextAttemptAt deliveredAt created updated\n  attempts { number success statusCode error detail started durationMs }\n}": types.NotificationFieldsFragmentDoc,
    "query Automations { automations { ...AutomationFields } }": types.AutomationsDocument,
    "query Automation($id: ID!) { automation(id: $id) { ...AutomationFields } }": types.AutomationDocument,
    "\nquery AutomationChoices {\n  projects { id name }\n  flows(first: 500) { nodes { id flowGroupId name projectName } }\n  agents { id name }\n}": types.AutomationChoicesDocument,
    "\nmutation CreateAutomation($input: AutomationInput!) { createAutomation(input: $input) { id name signingSecret } }": types.CreateAutomationDocument,
    "\nmutation UpdateAutomation($id: ID!, $input: AutomationPatch!) { updateAutomation(id: $id, input: $input) { id name signingSecret } }": types.UpdateAutomationDocument,
    "mutation DeleteAutomation($id: ID!) { deleteAutomation(id: $id) }": types.DeleteAutomationDocument,
    "\nmutation SetAutomationEnabled($id: ID!, $enabled: Boolean!) { setAutomationEnabled(id: $id, enabled: $enabled) { id enabled } }": types.SetAutomationEnabledDocument,
    "\nmutation SendTestNotification($automationId: ID!) { sendTestNotification(automationId: $automationId) { ...NotificationFields } }": types.SendTestNotificationDocument,
    "\nquery Notifications($automationId: ID, $status: String, $since: DateTime, $flowRunId: ID, $first: Int!, $after: String) {\n  notifications(automationId: $automationId, status: $status, since: $since, flowRunId: $flowRunId, first: $first, after: $after) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...NotificationFields }\n  }\n}": types.NotificationsDocument,
    "\nquery FlowSla($flowId: ID!) { flowSla(flowId: $flowId) { flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated } }": types.FlowSlaDocument,
    "\nmutation SetFlowSla($flowId: ID!, $lateStartSeconds: Float, $longRunSeconds: Float, $missedRunSeconds: Float) {\n  setFlowSla(flowId: $flowId, lateStartSeconds: $lateStartSeconds, longRunSeconds: $longRunSeconds, missedRunSeconds: $missedRunSeconds) {\n    flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated\n  }\n}": types.SetFlowSlaDocument,
    "\nquery SlaBreaches($flowId: ID, $since: DateTime, $first: Int!) {\n  slaBreaches(flowId: $flowId, since: $since, first: $first) {\n    totalCount\n    nodes { id flowGroupId flowName flowRunId kind subject thresholdSeconds expectedAt detected message }\n  }\n}": types.SlaBreachesDocument,
    "\nfragment ConcurrencyLimitFields on ConcurrencyLimit {\n  id kind key limit inUse created updated\n  holders { flowRunId flowRunName taskRunId taskSlug mapIndex state acquired }\n}": types.ConcurrencyLimitFieldsFragmentDoc,
    "query ConcurrencyLimits { concurrencyLimits { ...ConcurrencyLimitFields } }": types.ConcurrencyLimitsDocument,
    "\nmutation SetConcurrencyLimit($kind: String!, $key: String!, $limit: Int!) {\n  setConcurrencyLimit(kind: $kind, key: $key, limit: $limit) { ...ConcurrencyLimitFields }\n}": types.SetConcurrencyLimitDocument,
    "\nmutation DeleteConcurrencyLimit($kind: String!, $key: String!) { deleteConcurrencyLimit(kind: $kind, key: $key) }": types.DeleteConcurrencyLimitDocument,
    "\nfragment ArtifactFields on Artifact {\n  id key type description data flowRunId flowRunName flowName taskRunId taskSlug mapIndex\n  created updated\n}": types.ArtifactFieldsFragmentDoc,
    "\nquery TaskRunOutputs($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {\n  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {\n    id\n    artifacts { ...ArtifactFields }\n    result { location size serializer resultType preview previewNote loadSnippet }\n  }\n}": types.TaskRunOutputsDocument,
    "\nquery ArtifactsPage($key: String, $type: String, $latestPerKey: Boolean!, $first: Int, $after: String) {\n  artifactsPage(key: $key, type: $type, latestPerKey: $latestPerKey, first: $first, after: $after) {\n    nodes { ...ArtifactFields }\n    pageInfo { endCursor hasNextPage }\n  }\n}": types.ArtifactsPageDocument,
    "\nquery RunArtifactsPage($flowRunId: ID!, $first: Int!, $after: String) {\n  artifactsPage(flowRunId: $flowRunId, first: $first, after: $after) {\n    nodes { ...ArtifactFields }\n    pageInfo { endCursor hasNextPage }\n    totalCount\n  }\n}": types.RunArtifactsPageDocument,
    "\nfragment FlowRunFields on FlowRun {\n  id flowId flowGroupId flowName name state stateType stateMessage stateTimestamp version\n  runCount parameters labels scheduledStartTime startTime endTime autoScheduled agentId\n  heartbeat created\n}": types.FlowRunFieldsFragmentDoc,
    "\nfragment TaskRunFields on TaskRun {\n  id taskSlug mapIndex state stateType stateMessage stateTimestamp version runCount\n  startTime endTime\n}": types.TaskRunFieldsFragmentDoc,
    "fragment LogFields on Log { id taskSlug mapIndex timestamp level levelName message name }": types.LogFieldsFragmentDoc,
    "\nfragment FlowSummaryFields on Flow {\n  id flowGroupId projectId projectName name version description labels schedule\n  scheduleActive archived created\n}": types.FlowSummaryFieldsFragmentDoc,
    "\nfragment FlowTaskFields on FlowTask {\n  id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description\n}": types.FlowTaskFieldsFragmentDoc,
    "fragment FlowEdgeFields on FlowGraphEdge { upstream downstream key mapped flatten }": types.FlowEdgeFieldsFragmentDoc,
    "fragment StateRecordFields on StateRecord { id state stateType message timestamp startTime version }": types.StateRecordFieldsFragmentDoc,
    "\nquery Dashboard($since: DateTime!, $bucket: Int!, $now: DateTime!, $until: DateTime!) {\n  runCounts(since: $since, bucketSeconds: $bucket, until: $until) { bucketStart state count }\n  active: flowRuns(states: [\"Submitted\", \"Running\", \"Cancelling\", \"Paused\"], first: 20,\n                   orderBy: STATE_TIMESTAMP_DESC) {\n    totalCount nodes { ...FlowRunFields }\n  }\n  upcoming: flowRuns(states: [\"Scheduled\", \"Pending\"], first: 10, orderBy: SCHEDULED_START_TIME_ASC) {\n    totalCount nodes { ...FlowRunFields agentMatch { covered missingLabels suggestion } }\n  }\n  late: flowRuns(states: [\"Scheduled\", \"Pending\"], scheduledBefore: $now, first: 1) { totalCount }\n  failures: recentFailures(first: 8) {\n    flowRun { id name flowName state } failedAt state message attempt restarted\n    failureSummary { text total causes { taskSlug mapIndex taskRunName exceptionType message } }\n  }\n  agents { id name labels version lastHeartbeat created runsInFlight health }\n  flows(first: 1) { totalCount }\n}": types.DashboardDocument,
    "subscription RunFeed { runFeed { kind flowRunId state stateType occurred } }": types.RunFeedDocument,
    "query Projects { projects { id name description created flowCount } }": types.ProjectsDocument,
    "\nmutation CreateProject($name: String!, $description: String) {\n  createProject(name: $name, description: $description) { id name }\n}": types.CreateProjectDocument,
    "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }": types.DeleteProjectDocument,
    "\nquery Flows($search: String, $project: String, $first: Int!, $after: String, $includeArchived: Boolean! = false) {\n  flows(search: $search, project: $project, first: $first, after: $after, includeArchived: $includeArchived) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...FlowSummaryFields }\n  }\n}": types.FlowsDocument,
    "fragment LastRunFields on FlowRun { id name state stateType scheduledStartTime startTime endTime }": types.LastRunFieldsFragmentDoc,
    "\nmutation SetScheduleActive($flowId: ID!, $active: Boolean!) {\n  setScheduleActive(flowId: $flowId, active: $active) { id scheduleActive }\n}": types.SetScheduleActiveDocument,
    "\nquery Flow($id: ID!) {\n  flow(id: $id) {\n    ...FlowSummaryFields fingerprint parameterSchema storage runConfig\n    tasks { ...FlowTaskFields }\n    edges { ...FlowEdgeFields }\n    versions { id version created archived fingerprint }\n    nextRunTimes(n: 5)\n  }\n}": types.FlowDocument,
    "\nquery FlowRuns($flowGroupId: ID, $states: [String!], $first: Int!, $after: String,\n               $orderBy: FlowRunOrder, $scheduledAfter: DateTime) {\n  flowRuns(flowGroupId: $flowGroupId, states: $states, first: $first, after: $after,\n           orderBy: $orderBy, scheduledAfter: $scheduledAfter) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...FlowRunFields }\n  }\n}": types.FlowRunsDocument,
    "\nmutation CreateFlowRun($input: CreateFlowRunInput!) {\n  createFlowRun(input: $input) { id name state }\n}": types.CreateFlowRunDocument,
    "\nquery FlowRun($id: ID!) {\n  flowRun(id: $id) {\n    ...FlowRunFields\n    states { ...StateRecordFields }\n    flow {\n      id name\n      tasks { ...FlowTaskFields }\n      edges { ...FlowEdgeFields }\n    }\n    taskRunSummary\n  }\n}": types.FlowRunDocument,
    "query TaskRunSummary($id: ID!) { flowRun(id: $id) { id taskRunSummary } }": types.TaskRunSummaryDocument,
    "\nquery TaskRunRows($id: ID!, $first: Int!, $after: String, $taskSlug: String) {\n  flowRun(id: $id) {\n    taskRunRows(first: $first, after: $after, taskSlug: $taskSlug) {\n      fields rows pageInfo { endCursor hasNextPage }\n    }\n  }\n}": types.TaskRunRowsDocument,
    "\nquery TaskRun($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {\n  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {\n    ...TaskRunFields\n    states { ...StateRecordFields }\n    flowRun { ...FlowRunFields flow { id tasks { slug mapped } } }\n    task { ...FlowTaskFields }\n    upstream { ...FlowEdgeFields }\n    downstream { ...FlowEdgeFields }\n  }\n}": types.TaskRunDocument,
    "\nquery TaskChildren($id: ID!, $taskSlug: String!, $first: Int!, $after: String) {\n  taskRun(flowRunId: $id, taskSlug: $taskSlug) {\n    id\n    children(first: $first, after: $after) { fields rows pageInfo { endCursor hasNextPage } }\n  }\n}": types.TaskChildrenDocument,
    "\nsubscription FlowRunLive($id: ID!, $taskRuns: Boolean! = true) {\n  flowRun(id: $id, taskRuns: $taskRuns) {\n    kind\n    flowRun { ...FlowRunFields }\n    taskRuns { ...TaskRunFields }\n  }\n}": types.FlowRunLiveDocument,
    "\nquery Logs($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $first: Int!, $after: String) {\n  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, first: $first, after: $after) {\n    pageInfo { endCursor hasNextPage }\n    nodes { ...LogFields }\n  }\n}": types.LogsDocument,
    "\nquery LogsTail($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $last: Int!) {\n  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, last: $last) {\n    pageInfo { endCursor }\n    nodes { ...LogFields }\n  }\n}": types.LogsTailDocument,
    "\nsubscription LogsLive($flowRunId: ID!, $after: String) {\n  logs(flowRunId: $flowRunId, after: $after) { ...LogFields }\n}": types.LogsLiveDocument,
    "\nmutation SetFlowRunStates($changes: [JSON!]!) {\n  setFlowRunStates(changes: $changes) { accepted state code reason }\n}": types.SetFlowRunStatesDocument,
    "mutation Cancel($id: ID!) { cancelFlowRun(id: $id) { id state } }": types.CancelDocument,
    "mutation Restart($id: ID!) { restartFlowRun(id: $id) { id state } }": types.RestartDocument,
    "mutation Delete($id: ID!) { deleteFlowRun(id: $id) }": types.DeleteDocument,
    "\nquery Agents {\n  agents {\n    id name labels version lastHeartbeat created runsInFlight health problem\n    recentRuns(first: 10) { id name flowName state scheduledStartTime startTime endTime }\n  }\n}": types.AgentsDocument,
    "fragment DeletionPreviewFields on DeletionPreview { kind name version flows versions runs runsInProgress }": types.DeletionPreviewFieldsFragmentDoc,
    "\nquery DeletionPreview($flowGroupId: ID, $flowId: ID, $project: String) {\n  deletionPreview(flowGroupId: $flowGroupId, flowId: $flowId, project: $project) { ...DeletionPreviewFields }\n}": types.DeletionPreviewDocument,
    "\nmutation DeleteFlow($flowGroupId: ID, $flowId: ID, $force: Boolean!) {\n  deleteFlow(flowGroupId: $flowGroupId, flowId: $flowId, force: $force) { ...DeletionPreviewFields }\n}": types.DeleteFlowDocument,
    "\nmutation DeleteProjectChecked($id: ID!, $force: Boolean!) { deleteProject(id: $id, force: $force) }": types.DeleteProjectCheckedDocument,
    "\nmutation ArchiveFlowGroup($id: ID!) { archiveFlowGroup(id: $id) { id scheduleActive } }": types.ArchiveFlowGroupDocument,
    "\nmutation UnarchiveFlowGroup($id: ID!) { unarchiveFlowGroup(id: $id) { id scheduleActive } }": types.UnarchiveFlowGroupDocument,
    "fragment ActivityEventFields on ActivityEvent { id kind occurred message flowName flowRunId data }": types.ActivityEventFieldsFragmentDoc,
    "\nquery Activity($kinds: [String!], $flow: String, $since: DateTime, $first: Int, $after: String) {\n  activity(kinds: $kinds, flow: $flow, since: $since, first: $first, after: $after) {\n    nodes { ...ActivityEventFields }\n    pageInfo { endCursor hasNextPage }\n  }\n}": types.ActivityDocument,
    "\nsubscription ActivityLive($kinds: [String!], $flow: String) {\n  activity(kinds: $kinds, flow: $flow) { ...ActivityEventFields }\n}": types.ActivityLiveDocument,
    "\nfragment FailureSummaryFields on FailureSummary {\n  text total causes { taskSlug mapIndex taskRunName state exceptionType message }\n}": types.FailureSummaryFieldsFragmentDoc,
    "fragment AgentMatchFields on AgentMatch { covered healthyAgents matchingAgents missingLabels closestAgent suggestion }": types.AgentMatchFieldsFragmentDoc,
    "\nquery RunInsight($id: ID!) {\n  flowRun(id: $id) {\n    id\n    attempts { number began state stateType message startTime endTime }\n    failureSummary { ...FailureSummaryFields }\n    agentMatch { ...AgentMatchFields }\n  }\n}": types.RunInsightDocument,
    "\nquery RestartPreview($id: ID!) {\n  flowRun(id: $id) {\n    id restartPreview { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }\n  }\n}": types.RestartPreviewDocument,
    "\nquery RunsPage($states: [String!], $flowName: String, $project: String, $labels: [String!],\n  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,\n  $startedBefore: DateTime, $search: String, $orderBy: FlowRunOrder, $first: Int, $after: String) {\n  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,\n    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,\n    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search,\n    orderBy: $orderBy, first: $first, after: $after) {\n    pageInfo { endCursor hasNextPage } nodes { ...FlowRunFields }\n  }\n}": types.RunsPageDocument,
    "\nquery RunsPageCount($states: [String!], $flowName: String, $project: String, $labels: [String!],\n  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,\n  $startedBefore: DateTime, $search: String) {\n  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,\n    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,\n    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search, first: 0) { totalCount }\n}": types.RunsPageCountDocument,
    "\nquery RunsPageChoices {\n  projects { id name }\n  flows(first: 500) { nodes { id name projectName } }\n  agents { id name }\n}": types.RunsPageChoicesDocument,
    "\nquery RunsTimeline($startedAfter: DateTime!, $startedBefore: DateTime!, $first: Int!, $states: [String!],\n  $flowName: String, $project: String) {\n  flowRuns(startedAfter: $startedAfter, startedBefore: $startedBefore, states: $states,\n    flowName: $flowName, project: $project, orderBy: START_TIME_ASC, first: $first) {\n    totalCount nodes { id name flowName state startTime endTime }\n  }\n}": types.RunsTimelineDocument,
    "fragment BulkRunResultFields on BulkRunResult { flowRunId ok state code message }": types.BulkRunResultFieldsFragmentDoc,
    "mutation CancelFlowRuns($ids: [ID!]!) { cancelFlowRuns(ids: $ids) { ...BulkRunResultFields } }": types.CancelFlowRunsDocument,
    "mutation RestartFlowRuns($ids: [ID!]!) { restartFlowRuns(ids: $ids) { ...BulkRunResultFields } }": types.RestartFlowRunsDocument,
    "mutation DeleteFlowRuns($ids: [ID!]!) { deleteFlowRuns(ids: $ids) { ...BulkRunResultFields } }": types.DeleteFlowRunsDocument,
    "\nfragment FlowScheduleFields on FlowSchedule {\n  flowGroupId flowId source overridden overriddenAt active parameterSchema version\n  clocks { index kind intervalSeconds cron dayOr rrule timezone startDate endDate parameterDefaults labels }\n  nextTimes(n: 10)\n}": types.FlowScheduleFieldsFragmentDoc,
    "\nquery FlowSchedule($flowId: ID!) {\n  flowSchedule(flowId: $flowId) { ...FlowScheduleFields }\n}": types.FlowScheduleDocument,
    "\nquery SchedulePreview($clock: ScheduleClockInput!, $flowId: ID) {\n  schedulePreview(clock: $clock, flowId: $flowId, n: 10) { times error }\n}": types.SchedulePreviewDocument,
    "\nmutation AddScheduleClock($flowId: ID!, $clock: ScheduleClockInput!, $expectedVersion: String) {\n  addScheduleClock(flowId: $flowId, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": types.AddScheduleClockDocument,
    "\nmutation UpdateScheduleClock($flowId: ID!, $index: Int!, $clock: ScheduleClockInput!, $expectedVersion: String) {\n  updateScheduleClock(flowId: $flowId, index: $index, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": types.UpdateScheduleClockDocument,
    "\nmutation RemoveScheduleClock($flowId: ID!, $index: Int!, $expectedVersion: String) {\n  removeScheduleClock(flowId: $flowId, index: $index, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": types.RemoveScheduleClockDocument,
    "\nmutation ResetFlowSchedule($flowId: ID!, $expectedVersion: String) {\n  resetFlowSchedule(flowId: $flowId, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}": types.ResetFlowScheduleDocument,
    "\nfragment BackfillFields on Backfill {\n  id flowId flowName start end maxConcurrent total skipped createdRuns finished state created ended\n  counts { state count }\n}": types.BackfillFieldsFragmentDoc,
    "\nquery BackfillPreview($flowId: ID!, $start: DateTime!, $end: DateTime!) {\n  backfillPreview(flowId: $flowId, start: $start, end: $end) {\n    times existing new maxRuns first { start exists } last { start exists }\n  }\n}": types.BackfillPreviewDocument,
    "\nmutation CreateBackfill($flowId: ID!, $start: DateTime!, $end: DateTime!, $maxConcurrent: Int!) {\n  createBackfill(flowId: $flowId, start: $start, end: $end, maxConcurrent: $maxConcurrent) { ...BackfillFields }\n}": types.CreateBackfillDocument,
    "\nquery FlowBackfills($flowId: ID!) {\n  backfills(flowId: $flowId) { ...BackfillFields }\n}": types.FlowBackfillsDocument,
    "\nquery Backfill($id: ID!) {\n  backfill(id: $id) {\n    ...BackfillFields\n    runs(first: 200) { id name state stateType scheduledStartTime startTime endTime }\n  }\n}": types.BackfillDocument,
    "\nmutation CancelBackfill($id: ID!) {\n  cancelBackfill(id: $id) { ...BackfillFields }\n}": types.CancelBackfillDocument,
    "\nquery QuickRunFlow($id: ID!) {\n  flow(id: $id) { id name archived parameterSchema labels }\n}": types.QuickRunFlowDocument,
    "\nmutation QuickRun($input: CreateFlowRunInput!) {\n  createFlowRun(input: $input) { id name state }\n}": types.QuickRunDocument,
    "\nmutation MarkFlowRun($id: ID!, $state: String!, $reason: String!) {\n  markFlowRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }\n}": types.MarkFlowRunDocument,
    "\nmutation MarkTaskRun($id: ID!, $state: String!, $reason: String!) {\n  markTaskRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }\n}": types.MarkTaskRunDocument,
    "\nquery RestartFromPreview($id: ID!, $fromTasks: [String!]) {\n  flowRun(id: $id) {\n    id restartPreview(fromTasks: $fromTasks) { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }\n  }\n}": types.RestartFromPreviewDocument,
    "\nmutation RestartFrom($id: ID!, $fromTasks: [String!]!) {\n  restartFlowRunFrom(id: $id, fromTasks: $fromTasks) { id state stateMessage }\n}": types.RestartFromDocument,
    "\nquery OtherRuns($flowGroupId: ID!, $first: Int!) {\n  flowRuns(flowGroupId: $flowGroupId, first: $first, orderBy: SCHEDULED_START_TIME_DESC) {\n    nodes { id name state scheduledStartTime }\n  }\n}": types.OtherRunsDocument,
    "\nfragment TaskSideFields on TaskSide {\n  taskRunId state message startTime endTime durationSeconds resultLocation runCount childCount children { state count }\n}": types.TaskSideFieldsFragmentDoc,
    "\nquery CompareFlowRuns($a: ID!, $b: ID!) {\n  compareFlowRuns(a: $a, b: $b) {\n    a { id name flowId flowName state startTime endTime scheduledStartTime }\n    b { id name flowId flowName state startTime endTime scheduledStartTime }\n    sameFlow sameVersion differingTasks\n    parameters { name a b inA inB differs }\n    tasks { taskSlug mapped differences a { ...TaskSideFields } b { ...TaskSideFields } }\n  }\n}": types.CompareFlowRunsDocument,
    "mutation SwitchTeam($teamId: ID!) { switchTeam(teamId: $teamId) { currentTeam { id name } role } }": types.SwitchTeamDocument,
    "mutation CreateTeam($name: String!) { createTeam(name: $name) { id name slug role } }": types.CreateTeamDocument,
    "\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}": types.ChangePasswordDocument,
    "query Members { members { userId email name role joined } }": types.MembersDocument,
    "query Invitations { invitations { id email role expires accepted } }": types.InvitationsDocument,
    "\nmutation InviteMember($email: String!, $role: String!) {\n  inviteMember(email: $email, role: $role) { url token invitation { id email role expires } }\n}": types.InviteMemberDocument,
    "\nmutation AcceptInvitation($token: String!, $password: String, $name: String) {\n  acceptInvitation(token: $token, password: $password, name: $name) { user { email } team { name } }\n}": types.AcceptInvitationDocument,
    "\nmutation SetMemberRole($userId: ID!, $role: String!) { setMemberRole(userId: $userId, role: $role) { userId role } }": types.SetMemberRoleDocument,
    "mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }": types.RemoveMemberDocument,
    "\nfragment ApiKeyFields on ApiKey {\n  id name prefix role userId userEmail serviceAccount createdBy created expiresAt lastUsed revoked\n}": types.ApiKeyFieldsFragmentDoc,
    "query ApiKeys { apiKeys { ...ApiKeyFields } }": types.ApiKeysDocument,
    "\nmutation CreateApiKey($name: String!, $role: String, $expiresAt: DateTime) {\n  createApiKey(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }\n}": types.CreateApiKeyDocument,
    "\nmutation CreateServiceAccount($name: String!, $role: String!, $expiresAt: DateTime) {\n  createServiceAccount(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }\n}": types.CreateServiceAccountDocument,
    "mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revoked } }": types.RevokeApiKeyDocument,
    "query Secrets { secrets { name created updated createdBy updatedBy } }": types.SecretsDocument,
    "mutation SetSecret($name: String!, $value: String!) { setSecret(name: $name, value: $value) { name updated } }": types.SetSecretDocument,
    "mutation DeleteSecret($name: String!) { deleteSecret(name: $name) }": types.DeleteSecretDocument,
    "\nquery AuditEvents($actor: String, $action: String, $objectType: String, $objectId: String,\n                  $since: DateTime, $until: DateTime, $machine: Boolean, $first: Int!, $after: String) {\n  auditEvents(actor: $actor, action: $action, objectType: $objectType, objectId: $objectId,\n              since: $since, until: $until, machine: $machine, first: $first, after: $after) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { id occurred action actor actorKind actorUserId actorApiKeyId objectType objectId success details }\n  }\n}": types.AuditEventsDocument,
    "query RetentionPolicy { retentionPolicy { days logMaxBytes keepNewestRuns\n  team { days logMaxBytes keepNewestRuns } serverDefault { days logMaxBytes keepNewestRuns }\n  databaseSizeBytes databaseDialect } }": types.RetentionPolicyDocument,
    "mutation SetRetentionPolicy($days: Float, $logMaxBytes: Float, $keepNewestRuns: Int) {\n  setRetentionPolicy(days: $days, logMaxBytes: $logMaxBytes, keepNewestRuns: $keepNewestRuns) { days } }": types.SetRetentionPolicyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteAgent($id: ID!) { deleteAgent(id: $id) }"): typeof import('./graphql').DeleteAgentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment AutomationFields on Automation {\n  id name description enabled created updated\n  trigger { type states projectId flowGroupIds tags kinds agentNames count taskSlugs }\n  actions { type url headers message to subject flowGroupId parameters }\n}"): typeof import('./graphql').AutomationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment NotificationFields on Notification {\n  id automationId automationName actionIndex actionType triggerKey event flowRunId test status\n  attemptCount lastError nextAttemptAt deliveredAt created updated\n  attempts { number success statusCode error detail started durationMs }\n}"): typeof import('./graphql').NotificationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Automations { automations { ...AutomationFields } }"): typeof import('./graphql').AutomationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Automation($id: ID!) { automation(id: $id) { ...AutomationFields } }"): typeof import('./graphql').AutomationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery AutomationChoices {\n  projects { id name }\n  flows(first: 500) { nodes { id flowGroupId name projectName } }\n  agents { id name }\n}"): typeof import('./graphql').AutomationChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation CreateAutomation($input: AutomationInput!) { createAutomation(input: $input) { id name signingSecret } }"): typeof import('./graphql').CreateAutomationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation UpdateAutomation($id: ID!, $input: AutomationPatch!) { updateAutomation(id: $id, input: $input) { id name signingSecret } }"): typeof import('./graphql').UpdateAutomationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteAutomation($id: ID!) { deleteAutomation(id: $id) }"): typeof import('./graphql').DeleteAutomationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation SetAutomationEnabled($id: ID!, $enabled: Boolean!) { setAutomationEnabled(id: $id, enabled: $enabled) { id enabled } }"): typeof import('./graphql').SetAutomationEnabledDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation SendTestNotification($automationId: ID!) { sendTestNotification(automationId: $automationId) { ...NotificationFields } }"): typeof import('./graphql').SendTestNotificationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Notifications($automationId: ID, $status: String, $since: DateTime, $flowRunId: ID, $first: Int!, $after: String) {\n  notifications(automationId: $automationId, status: $status, since: $since, flowRunId: $flowRunId, first: $first, after: $after) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...NotificationFields }\n  }\n}"): typeof import('./graphql').NotificationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery FlowSla($flowId: ID!) { flowSla(flowId: $flowId) { flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated } }"): typeof import('./graphql').FlowSlaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation SetFlowSla($flowId: ID!, $lateStartSeconds: Float, $longRunSeconds: Float, $missedRunSeconds: Float) {\n  setFlowSla(flowId: $flowId, lateStartSeconds: $lateStartSeconds, longRunSeconds: $longRunSeconds, missedRunSeconds: $missedRunSeconds) {\n    flowGroupId lateStartSeconds longRunSeconds missedRunSeconds updated\n  }\n}"): typeof import('./graphql').SetFlowSlaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery SlaBreaches($flowId: ID, $since: DateTime, $first: Int!) {\n  slaBreaches(flowId: $flowId, since: $since, first: $first) {\n    totalCount\n    nodes { id flowGroupId flowName flowRunId kind subject thresholdSeconds expectedAt detected message }\n  }\n}"): typeof import('./graphql').SlaBreachesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment ConcurrencyLimitFields on ConcurrencyLimit {\n  id kind key limit inUse created updated\n  holders { flowRunId flowRunName taskRunId taskSlug mapIndex state acquired }\n}"): typeof import('./graphql').ConcurrencyLimitFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConcurrencyLimits { concurrencyLimits { ...ConcurrencyLimitFields } }"): typeof import('./graphql').ConcurrencyLimitsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation SetConcurrencyLimit($kind: String!, $key: String!, $limit: Int!) {\n  setConcurrencyLimit(kind: $kind, key: $key, limit: $limit) { ...ConcurrencyLimitFields }\n}"): typeof import('./graphql').SetConcurrencyLimitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation DeleteConcurrencyLimit($kind: String!, $key: String!) { deleteConcurrencyLimit(kind: $kind, key: $key) }"): typeof import('./graphql').DeleteConcurrencyLimitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment ArtifactFields on Artifact {\n  id key type description data flowRunId flowRunName flowName taskRunId taskSlug mapIndex\n  created updated\n}"): typeof import('./graphql').ArtifactFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery TaskRunOutputs($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {\n  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {\n    id\n    artifacts { ...ArtifactFields }\n    result { location size serializer resultType preview previewNote loadSnippet }\n  }\n}"): typeof import('./graphql').TaskRunOutputsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery ArtifactsPage($key: String, $type: String, $latestPerKey: Boolean!, $first: Int, $after: String) {\n  artifactsPage(key: $key, type: $type, latestPerKey: $latestPerKey, first: $first, after: $after) {\n    nodes { ...ArtifactFields }\n    pageInfo { endCursor hasNextPage }\n  }\n}"): typeof import('./graphql').ArtifactsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RunArtifactsPage($flowRunId: ID!, $first: Int!, $after: String) {\n  artifactsPage(flowRunId: $flowRunId, first: $first, after: $after) {\n    nodes { ...ArtifactFields }\n    pageInfo { endCursor hasNextPage }\n    totalCount\n  }\n}"): typeof import('./graphql').RunArtifactsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment FlowRunFields on FlowRun {\n  id flowId flowGroupId flowName name state stateType stateMessage stateTimestamp version\n  runCount parameters labels scheduledStartTime startTime endTime autoScheduled agentId\n  heartbeat created\n}"): typeof import('./graphql').FlowRunFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment TaskRunFields on TaskRun {\n  id taskSlug mapIndex state stateType stateMessage stateTimestamp version runCount\n  startTime endTime\n}"): typeof import('./graphql').TaskRunFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment LogFields on Log { id taskSlug mapIndex timestamp level levelName message name }"): typeof import('./graphql').LogFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment FlowSummaryFields on Flow {\n  id flowGroupId projectId projectName name version description labels schedule\n  scheduleActive archived created\n}"): typeof import('./graphql').FlowSummaryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment FlowTaskFields on FlowTask {\n  id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description\n}"): typeof import('./graphql').FlowTaskFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment FlowEdgeFields on FlowGraphEdge { upstream downstream key mapped flatten }"): typeof import('./graphql').FlowEdgeFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment StateRecordFields on StateRecord { id state stateType message timestamp startTime version }"): typeof import('./graphql').StateRecordFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Dashboard($since: DateTime!, $bucket: Int!, $now: DateTime!, $until: DateTime!) {\n  runCounts(since: $since, bucketSeconds: $bucket, until: $until) { bucketStart state count }\n  active: flowRuns(states: [\"Submitted\", \"Running\", \"Cancelling\", \"Paused\"], first: 20,\n                   orderBy: STATE_TIMESTAMP_DESC) {\n    totalCount nodes { ...FlowRunFields }\n  }\n  upcoming: flowRuns(states: [\"Scheduled\", \"Pending\"], first: 10, orderBy: SCHEDULED_START_TIME_ASC) {\n    totalCount nodes { ...FlowRunFields agentMatch { covered missingLabels suggestion } }\n  }\n  late: flowRuns(states: [\"Scheduled\", \"Pending\"], scheduledBefore: $now, first: 1) { totalCount }\n  failures: recentFailures(first: 8) {\n    flowRun { id name flowName state } failedAt state message attempt restarted\n    failureSummary { text total causes { taskSlug mapIndex taskRunName exceptionType message } }\n  }\n  agents { id name labels version lastHeartbeat created runsInFlight health }\n  flows(first: 1) { totalCount }\n}"): typeof import('./graphql').DashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription RunFeed { runFeed { kind flowRunId state stateType occurred } }"): typeof import('./graphql').RunFeedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Projects { projects { id name description created flowCount } }"): typeof import('./graphql').ProjectsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation CreateProject($name: String!, $description: String) {\n  createProject(name: $name, description: $description) { id name }\n}"): typeof import('./graphql').CreateProjectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteProject($id: ID!) { deleteProject(id: $id) }"): typeof import('./graphql').DeleteProjectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Flows($search: String, $project: String, $first: Int!, $after: String, $includeArchived: Boolean! = false) {\n  flows(search: $search, project: $project, first: $first, after: $after, includeArchived: $includeArchived) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...FlowSummaryFields }\n  }\n}"): typeof import('./graphql').FlowsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment LastRunFields on FlowRun { id name state stateType scheduledStartTime startTime endTime }"): typeof import('./graphql').LastRunFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation SetScheduleActive($flowId: ID!, $active: Boolean!) {\n  setScheduleActive(flowId: $flowId, active: $active) { id scheduleActive }\n}"): typeof import('./graphql').SetScheduleActiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Flow($id: ID!) {\n  flow(id: $id) {\n    ...FlowSummaryFields fingerprint parameterSchema storage runConfig\n    tasks { ...FlowTaskFields }\n    edges { ...FlowEdgeFields }\n    versions { id version created archived fingerprint }\n    nextRunTimes(n: 5)\n  }\n}"): typeof import('./graphql').FlowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery FlowRuns($flowGroupId: ID, $states: [String!], $first: Int!, $after: String,\n               $orderBy: FlowRunOrder, $scheduledAfter: DateTime) {\n  flowRuns(flowGroupId: $flowGroupId, states: $states, first: $first, after: $after,\n           orderBy: $orderBy, scheduledAfter: $scheduledAfter) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { ...FlowRunFields }\n  }\n}"): typeof import('./graphql').FlowRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation CreateFlowRun($input: CreateFlowRunInput!) {\n  createFlowRun(input: $input) { id name state }\n}"): typeof import('./graphql').CreateFlowRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery FlowRun($id: ID!) {\n  flowRun(id: $id) {\n    ...FlowRunFields\n    states { ...StateRecordFields }\n    flow {\n      id name\n      tasks { ...FlowTaskFields }\n      edges { ...FlowEdgeFields }\n    }\n    taskRunSummary\n  }\n}"): typeof import('./graphql').FlowRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TaskRunSummary($id: ID!) { flowRun(id: $id) { id taskRunSummary } }"): typeof import('./graphql').TaskRunSummaryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery TaskRunRows($id: ID!, $first: Int!, $after: String, $taskSlug: String) {\n  flowRun(id: $id) {\n    taskRunRows(first: $first, after: $after, taskSlug: $taskSlug) {\n      fields rows pageInfo { endCursor hasNextPage }\n    }\n  }\n}"): typeof import('./graphql').TaskRunRowsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery TaskRun($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {\n  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {\n    ...TaskRunFields\n    states { ...StateRecordFields }\n    flowRun { ...FlowRunFields flow { id tasks { slug mapped } } }\n    task { ...FlowTaskFields }\n    upstream { ...FlowEdgeFields }\n    downstream { ...FlowEdgeFields }\n  }\n}"): typeof import('./graphql').TaskRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery TaskChildren($id: ID!, $taskSlug: String!, $first: Int!, $after: String) {\n  taskRun(flowRunId: $id, taskSlug: $taskSlug) {\n    id\n    children(first: $first, after: $after) { fields rows pageInfo { endCursor hasNextPage } }\n  }\n}"): typeof import('./graphql').TaskChildrenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nsubscription FlowRunLive($id: ID!, $taskRuns: Boolean! = true) {\n  flowRun(id: $id, taskRuns: $taskRuns) {\n    kind\n    flowRun { ...FlowRunFields }\n    taskRuns { ...TaskRunFields }\n  }\n}"): typeof import('./graphql').FlowRunLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Logs($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $first: Int!, $after: String) {\n  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, first: $first, after: $after) {\n    pageInfo { endCursor hasNextPage }\n    nodes { ...LogFields }\n  }\n}"): typeof import('./graphql').LogsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery LogsTail($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $last: Int!) {\n  logs(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, last: $last) {\n    pageInfo { endCursor }\n    nodes { ...LogFields }\n  }\n}"): typeof import('./graphql').LogsTailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nsubscription LogsLive($flowRunId: ID!, $after: String) {\n  logs(flowRunId: $flowRunId, after: $after) { ...LogFields }\n}"): typeof import('./graphql').LogsLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation SetFlowRunStates($changes: [JSON!]!) {\n  setFlowRunStates(changes: $changes) { accepted state code reason }\n}"): typeof import('./graphql').SetFlowRunStatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Cancel($id: ID!) { cancelFlowRun(id: $id) { id state } }"): typeof import('./graphql').CancelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Restart($id: ID!) { restartFlowRun(id: $id) { id state } }"): typeof import('./graphql').RestartDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Delete($id: ID!) { deleteFlowRun(id: $id) }"): typeof import('./graphql').DeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Agents {\n  agents {\n    id name labels version lastHeartbeat created runsInFlight health problem\n    recentRuns(first: 10) { id name flowName state scheduledStartTime startTime endTime }\n  }\n}"): typeof import('./graphql').AgentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment DeletionPreviewFields on DeletionPreview { kind name version flows versions runs runsInProgress }"): typeof import('./graphql').DeletionPreviewFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery DeletionPreview($flowGroupId: ID, $flowId: ID, $project: String) {\n  deletionPreview(flowGroupId: $flowGroupId, flowId: $flowId, project: $project) { ...DeletionPreviewFields }\n}"): typeof import('./graphql').DeletionPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation DeleteFlow($flowGroupId: ID, $flowId: ID, $force: Boolean!) {\n  deleteFlow(flowGroupId: $flowGroupId, flowId: $flowId, force: $force) { ...DeletionPreviewFields }\n}"): typeof import('./graphql').DeleteFlowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation DeleteProjectChecked($id: ID!, $force: Boolean!) { deleteProject(id: $id, force: $force) }"): typeof import('./graphql').DeleteProjectCheckedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation ArchiveFlowGroup($id: ID!) { archiveFlowGroup(id: $id) { id scheduleActive } }"): typeof import('./graphql').ArchiveFlowGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation UnarchiveFlowGroup($id: ID!) { unarchiveFlowGroup(id: $id) { id scheduleActive } }"): typeof import('./graphql').UnarchiveFlowGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ActivityEventFields on ActivityEvent { id kind occurred message flowName flowRunId data }"): typeof import('./graphql').ActivityEventFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Activity($kinds: [String!], $flow: String, $since: DateTime, $first: Int, $after: String) {\n  activity(kinds: $kinds, flow: $flow, since: $since, first: $first, after: $after) {\n    nodes { ...ActivityEventFields }\n    pageInfo { endCursor hasNextPage }\n  }\n}"): typeof import('./graphql').ActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nsubscription ActivityLive($kinds: [String!], $flow: String) {\n  activity(kinds: $kinds, flow: $flow) { ...ActivityEventFields }\n}"): typeof import('./graphql').ActivityLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment FailureSummaryFields on FailureSummary {\n  text total causes { taskSlug mapIndex taskRunName state exceptionType message }\n}"): typeof import('./graphql').FailureSummaryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AgentMatchFields on AgentMatch { covered healthyAgents matchingAgents missingLabels closestAgent suggestion }"): typeof import('./graphql').AgentMatchFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RunInsight($id: ID!) {\n  flowRun(id: $id) {\n    id\n    attempts { number began state stateType message startTime endTime }\n    failureSummary { ...FailureSummaryFields }\n    agentMatch { ...AgentMatchFields }\n  }\n}"): typeof import('./graphql').RunInsightDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RestartPreview($id: ID!) {\n  flowRun(id: $id) {\n    id restartPreview { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }\n  }\n}"): typeof import('./graphql').RestartPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RunsPage($states: [String!], $flowName: String, $project: String, $labels: [String!],\n  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,\n  $startedBefore: DateTime, $search: String, $orderBy: FlowRunOrder, $first: Int, $after: String) {\n  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,\n    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,\n    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search,\n    orderBy: $orderBy, first: $first, after: $after) {\n    pageInfo { endCursor hasNextPage } nodes { ...FlowRunFields }\n  }\n}"): typeof import('./graphql').RunsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RunsPageCount($states: [String!], $flowName: String, $project: String, $labels: [String!],\n  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,\n  $startedBefore: DateTime, $search: String) {\n  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,\n    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,\n    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search, first: 0) { totalCount }\n}"): typeof import('./graphql').RunsPageCountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RunsPageChoices {\n  projects { id name }\n  flows(first: 500) { nodes { id name projectName } }\n  agents { id name }\n}"): typeof import('./graphql').RunsPageChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RunsTimeline($startedAfter: DateTime!, $startedBefore: DateTime!, $first: Int!, $states: [String!],\n  $flowName: String, $project: String) {\n  flowRuns(startedAfter: $startedAfter, startedBefore: $startedBefore, states: $states,\n    flowName: $flowName, project: $project, orderBy: START_TIME_ASC, first: $first) {\n    totalCount nodes { id name flowName state startTime endTime }\n  }\n}"): typeof import('./graphql').RunsTimelineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment BulkRunResultFields on BulkRunResult { flowRunId ok state code message }"): typeof import('./graphql').BulkRunResultFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CancelFlowRuns($ids: [ID!]!) { cancelFlowRuns(ids: $ids) { ...BulkRunResultFields } }"): typeof import('./graphql').CancelFlowRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RestartFlowRuns($ids: [ID!]!) { restartFlowRuns(ids: $ids) { ...BulkRunResultFields } }"): typeof import('./graphql').RestartFlowRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteFlowRuns($ids: [ID!]!) { deleteFlowRuns(ids: $ids) { ...BulkRunResultFields } }"): typeof import('./graphql').DeleteFlowRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment FlowScheduleFields on FlowSchedule {\n  flowGroupId flowId source overridden overriddenAt active parameterSchema version\n  clocks { index kind intervalSeconds cron dayOr rrule timezone startDate endDate parameterDefaults labels }\n  nextTimes(n: 10)\n}"): typeof import('./graphql').FlowScheduleFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery FlowSchedule($flowId: ID!) {\n  flowSchedule(flowId: $flowId) { ...FlowScheduleFields }\n}"): typeof import('./graphql').FlowScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery SchedulePreview($clock: ScheduleClockInput!, $flowId: ID) {\n  schedulePreview(clock: $clock, flowId: $flowId, n: 10) { times error }\n}"): typeof import('./graphql').SchedulePreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation AddScheduleClock($flowId: ID!, $clock: ScheduleClockInput!, $expectedVersion: String) {\n  addScheduleClock(flowId: $flowId, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}"): typeof import('./graphql').AddScheduleClockDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation UpdateScheduleClock($flowId: ID!, $index: Int!, $clock: ScheduleClockInput!, $expectedVersion: String) {\n  updateScheduleClock(flowId: $flowId, index: $index, clock: $clock, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}"): typeof import('./graphql').UpdateScheduleClockDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation RemoveScheduleClock($flowId: ID!, $index: Int!, $expectedVersion: String) {\n  removeScheduleClock(flowId: $flowId, index: $index, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}"): typeof import('./graphql').RemoveScheduleClockDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation ResetFlowSchedule($flowId: ID!, $expectedVersion: String) {\n  resetFlowSchedule(flowId: $flowId, expectedVersion: $expectedVersion) { ...FlowScheduleFields }\n}"): typeof import('./graphql').ResetFlowScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment BackfillFields on Backfill {\n  id flowId flowName start end maxConcurrent total skipped createdRuns finished state created ended\n  counts { state count }\n}"): typeof import('./graphql').BackfillFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery BackfillPreview($flowId: ID!, $start: DateTime!, $end: DateTime!) {\n  backfillPreview(flowId: $flowId, start: $start, end: $end) {\n    times existing new maxRuns first { start exists } last { start exists }\n  }\n}"): typeof import('./graphql').BackfillPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation CreateBackfill($flowId: ID!, $start: DateTime!, $end: DateTime!, $maxConcurrent: Int!) {\n  createBackfill(flowId: $flowId, start: $start, end: $end, maxConcurrent: $maxConcurrent) { ...BackfillFields }\n}"): typeof import('./graphql').CreateBackfillDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery FlowBackfills($flowId: ID!) {\n  backfills(flowId: $flowId) { ...BackfillFields }\n}"): typeof import('./graphql').FlowBackfillsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery Backfill($id: ID!) {\n  backfill(id: $id) {\n    ...BackfillFields\n    runs(first: 200) { id name state stateType scheduledStartTime startTime endTime }\n  }\n}"): typeof import('./graphql').BackfillDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation CancelBackfill($id: ID!) {\n  cancelBackfill(id: $id) { ...BackfillFields }\n}"): typeof import('./graphql').CancelBackfillDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery QuickRunFlow($id: ID!) {\n  flow(id: $id) { id name archived parameterSchema labels }\n}"): typeof import('./graphql').QuickRunFlowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation QuickRun($input: CreateFlowRunInput!) {\n  createFlowRun(input: $input) { id name state }\n}"): typeof import('./graphql').QuickRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation MarkFlowRun($id: ID!, $state: String!, $reason: String!) {\n  markFlowRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }\n}"): typeof import('./graphql').MarkFlowRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation MarkTaskRun($id: ID!, $state: String!, $reason: String!) {\n  markTaskRun(id: $id, state: $state, reason: $reason) { id state stateMessage version }\n}"): typeof import('./graphql').MarkTaskRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery RestartFromPreview($id: ID!, $fromTasks: [String!]) {\n  flowRun(id: $id) {\n    id restartPreview(fromTasks: $fromTasks) { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }\n  }\n}"): typeof import('./graphql').RestartFromPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation RestartFrom($id: ID!, $fromTasks: [String!]!) {\n  restartFlowRunFrom(id: $id, fromTasks: $fromTasks) { id state stateMessage }\n}"): typeof import('./graphql').RestartFromDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery OtherRuns($flowGroupId: ID!, $first: Int!) {\n  flowRuns(flowGroupId: $flowGroupId, first: $first, orderBy: SCHEDULED_START_TIME_DESC) {\n    nodes { id name state scheduledStartTime }\n  }\n}"): typeof import('./graphql').OtherRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment TaskSideFields on TaskSide {\n  taskRunId state message startTime endTime durationSeconds resultLocation runCount childCount children { state count }\n}"): typeof import('./graphql').TaskSideFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery CompareFlowRuns($a: ID!, $b: ID!) {\n  compareFlowRuns(a: $a, b: $b) {\n    a { id name flowId flowName state startTime endTime scheduledStartTime }\n    b { id name flowId flowName state startTime endTime scheduledStartTime }\n    sameFlow sameVersion differingTasks\n    parameters { name a b inA inB differs }\n    tasks { taskSlug mapped differences a { ...TaskSideFields } b { ...TaskSideFields } }\n  }\n}"): typeof import('./graphql').CompareFlowRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SwitchTeam($teamId: ID!) { switchTeam(teamId: $teamId) { currentTeam { id name } role } }"): typeof import('./graphql').SwitchTeamDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateTeam($name: String!) { createTeam(name: $name) { id name slug role } }"): typeof import('./graphql').CreateTeamDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}"): typeof import('./graphql').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Members { members { userId email name role joined } }"): typeof import('./graphql').MembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Invitations { invitations { id email role expires accepted } }"): typeof import('./graphql').InvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation InviteMember($email: String!, $role: String!) {\n  inviteMember(email: $email, role: $role) { url token invitation { id email role expires } }\n}"): typeof import('./graphql').InviteMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation AcceptInvitation($token: String!, $password: String, $name: String) {\n  acceptInvitation(token: $token, password: $password, name: $name) { user { email } team { name } }\n}"): typeof import('./graphql').AcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation SetMemberRole($userId: ID!, $role: String!) { setMemberRole(userId: $userId, role: $role) { userId role } }"): typeof import('./graphql').SetMemberRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }"): typeof import('./graphql').RemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nfragment ApiKeyFields on ApiKey {\n  id name prefix role userId userEmail serviceAccount createdBy created expiresAt lastUsed revoked\n}"): typeof import('./graphql').ApiKeyFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ApiKeys { apiKeys { ...ApiKeyFields } }"): typeof import('./graphql').ApiKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation CreateApiKey($name: String!, $role: String, $expiresAt: DateTime) {\n  createApiKey(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }\n}"): typeof import('./graphql').CreateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nmutation CreateServiceAccount($name: String!, $role: String!, $expiresAt: DateTime) {\n  createServiceAccount(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }\n}"): typeof import('./graphql').CreateServiceAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revoked } }"): typeof import('./graphql').RevokeApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Secrets { secrets { name created updated createdBy updatedBy } }"): typeof import('./graphql').SecretsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetSecret($name: String!, $value: String!) { setSecret(name: $name, value: $value) { name updated } }"): typeof import('./graphql').SetSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteSecret($name: String!) { deleteSecret(name: $name) }"): typeof import('./graphql').DeleteSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\nquery AuditEvents($actor: String, $action: String, $objectType: String, $objectId: String,\n                  $since: DateTime, $until: DateTime, $machine: Boolean, $first: Int!, $after: String) {\n  auditEvents(actor: $actor, action: $action, objectType: $objectType, objectId: $objectId,\n              since: $since, until: $until, machine: $machine, first: $first, after: $after) {\n    totalCount pageInfo { endCursor hasNextPage }\n    nodes { id occurred action actor actorKind actorUserId actorApiKeyId objectType objectId success details }\n  }\n}"): typeof import('./graphql').AuditEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RetentionPolicy { retentionPolicy { days logMaxBytes keepNewestRuns\n  team { days logMaxBytes keepNewestRuns } serverDefault { days logMaxBytes keepNewestRuns }\n  databaseSizeBytes databaseDialect } }"): typeof import('./graphql').RetentionPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetRetentionPolicy($days: Float, $logMaxBytes: Float, $keepNewestRuns: Int) {\n  setRetentionPolicy(days: $days, logMaxBytes: $logMaxBytes, keepNewestRuns: $keepNewestRuns) { days } }"): typeof import('./graphql').SetRetentionPolicyDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
