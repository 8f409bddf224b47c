/** Documents of the Runs page (every flow's runs), its bulk actions and the timeline. */
import { graphql } from "../gql";
import type { BulkRunResultFieldsFragment, RunsTimelineQuery } from "../gql/graphql";

/**
 * One page of runs, without their count: counting every match is the slow part of a
 * page at 100,000 runs, so `RUNS_PAGE_COUNT` asks it apart, once per set of filters
 * (not per page or sort), and the list does not wait for it.
 */
export const RUNS_PAGE = graphql(`
query RunsPage($states: [String!], $flowName: String, $project: String, $labels: [String!],
  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,
  $startedBefore: DateTime, $search: String, $orderBy: FlowRunOrder, $first: Int, $after: String) {
  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,
    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,
    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search,
    orderBy: $orderBy, first: $first, after: $after) {
    pageInfo { endCursor hasNextPage } nodes { ...FlowRunFields }
  }
}`);

export const RUNS_PAGE_COUNT = graphql(`
query RunsPageCount($states: [String!], $flowName: String, $project: String, $labels: [String!],
  $agentId: ID, $scheduledAfter: DateTime, $scheduledBefore: DateTime, $startedAfter: DateTime,
  $startedBefore: DateTime, $search: String) {
  flowRuns(states: $states, flowName: $flowName, project: $project, labels: $labels,
    agentId: $agentId, scheduledAfter: $scheduledAfter, scheduledBefore: $scheduledBefore,
    startedAfter: $startedAfter, startedBefore: $startedBefore, search: $search, first: 0) { totalCount }
}`);

/** What the filter controls offer: projects, flow names and agents. */
export const RUNS_PAGE_CHOICES = graphql(`
query RunsPageChoices {
  projects { id name }
  flows(first: 500) { nodes { id name projectName } }
  agents { id name }
}`);

/** Runs that started in the timeline's window (and those that began a little before it). */
export const RUNS_TIMELINE = graphql(`
query RunsTimeline($startedAfter: DateTime!, $startedBefore: DateTime!, $first: Int!, $states: [String!],
  $flowName: String, $project: String) {
  flowRuns(startedAfter: $startedAfter, startedBefore: $startedBefore, states: $states,
    flowName: $flowName, project: $project, orderBy: START_TIME_ASC, first: $first) {
    totalCount nodes { id name flowName state startTime endTime }
  }
}`);

graphql(`fragment BulkRunResultFields on BulkRunResult { flowRunId ok state code message }`);
export const CANCEL_FLOW_RUNS = graphql(`mutation CancelFlowRuns($ids: [ID!]!) { cancelFlowRuns(ids: $ids) { ...BulkRunResultFields } }`);
export const RESTART_FLOW_RUNS = graphql(`mutation RestartFlowRuns($ids: [ID!]!) { restartFlowRuns(ids: $ids) { ...BulkRunResultFields } }`);
export const DELETE_FLOW_RUNS = graphql(`mutation DeleteFlowRuns($ids: [ID!]!) { deleteFlowRuns(ids: $ids) { ...BulkRunResultFields } }`);

export type BulkRunResult = BulkRunResultFieldsFragment;
export type TimelineRun = RunsTimelineQuery["flowRuns"]["nodes"][number];
