/** Housekeeping (delete and archive, with the counts first) and the activity feed. */
import { graphql } from "../gql";
import type { ActivityEventFieldsFragment, DeletionPreviewFieldsFragment } from "../gql/graphql";

graphql(`fragment DeletionPreviewFields on DeletionPreview { kind name version flows versions runs runsInProgress }`);

export const DELETION_PREVIEW = graphql(`
query DeletionPreview($flowGroupId: ID, $flowId: ID, $project: String) {
  deletionPreview(flowGroupId: $flowGroupId, flowId: $flowId, project: $project) { ...DeletionPreviewFields }
}`);

export const DELETE_FLOW = graphql(`
mutation DeleteFlow($flowGroupId: ID, $flowId: ID, $force: Boolean!) {
  deleteFlow(flowGroupId: $flowGroupId, flowId: $flowId, force: $force) { ...DeletionPreviewFields }
}`);

export const DELETE_PROJECT_CHECKED = graphql(`
mutation DeleteProjectChecked($id: ID!, $force: Boolean!) { deleteProject(id: $id, force: $force) }`);

export const ARCHIVE_FLOW_GROUP = graphql(`
mutation ArchiveFlowGroup($id: ID!) { archiveFlowGroup(id: $id) { id scheduleActive } }`);

export const UNARCHIVE_FLOW_GROUP = graphql(`
mutation UnarchiveFlowGroup($id: ID!) { unarchiveFlowGroup(id: $id) { id scheduleActive } }`);

graphql(`fragment ActivityEventFields on ActivityEvent { id kind occurred message flowName flowRunId data }`);

export const ACTIVITY = graphql(`
query Activity($kinds: [String!], $flow: String, $since: DateTime, $first: Int, $after: String) {
  activity(kinds: $kinds, flow: $flow, since: $since, first: $first, after: $after) {
    nodes { ...ActivityEventFields }
    pageInfo { endCursor hasNextPage }
  }
}`);

export const ACTIVITY_LIVE = graphql(`
subscription ActivityLive($kinds: [String!], $flow: String) {
  activity(kinds: $kinds, flow: $flow) { ...ActivityEventFields }
}`);

/** What a deletion would take: `kind` is "flow", "version" or "project". */
export type DeletionPreview = DeletionPreviewFieldsFragment;

export type ActivityEvent = ActivityEventFieldsFragment;

/** The families the feed filters by (a family stands for each of its kinds). */
export const ACTIVITY_FAMILIES: { id: string; label: string }[] = [
  { id: "flow_run", label: "Run states" },
  { id: "flow", label: "Flows (registered, archived, deleted)" },
  { id: "flow_group", label: "Schedules on/off" },
  { id: "project", label: "Projects" },
  { id: "agent", label: "Agents and their health" },
  { id: "sla", label: "SLA breaches" },
  { id: "notification", label: "Alerts sent" },
];
