/** Housekeeping (delete and archive, with the counts first) and the activity feed. */

const PREVIEW_FIELDS = "kind name version flows versions runs runsInProgress";

export const DELETION_PREVIEW = `
query DeletionPreview($flowGroupId: ID, $flowId: ID, $project: String) {
  deletionPreview(flowGroupId: $flowGroupId, flowId: $flowId, project: $project) { ${PREVIEW_FIELDS} }
}`;

export const DELETE_FLOW = `
mutation DeleteFlow($flowGroupId: ID, $flowId: ID, $force: Boolean!) {
  deleteFlow(flowGroupId: $flowGroupId, flowId: $flowId, force: $force) { ${PREVIEW_FIELDS} }
}`;

export const DELETE_PROJECT_CHECKED = `
mutation DeleteProjectChecked($id: ID!, $force: Boolean!) { deleteProject(id: $id, force: $force) }`;

export const ARCHIVE_FLOW_GROUP = `
mutation ArchiveFlowGroup($id: ID!) { archiveFlowGroup(id: $id) { id scheduleActive } }`;

export const UNARCHIVE_FLOW_GROUP = `
mutation UnarchiveFlowGroup($id: ID!) { unarchiveFlowGroup(id: $id) { id scheduleActive } }`;

const ACTIVITY_FIELDS = "id kind occurred message flowName flowRunId data";

export const ACTIVITY = `
query Activity($kinds: [String!], $flow: String, $since: DateTime, $first: Int, $after: String) {
  activity(kinds: $kinds, flow: $flow, since: $since, first: $first, after: $after) {
    nodes { ${ACTIVITY_FIELDS} }
    pageInfo { endCursor hasNextPage }
  }
}`;

export const ACTIVITY_LIVE = `
subscription ActivityLive($kinds: [String!], $flow: String) {
  activity(kinds: $kinds, flow: $flow) { ${ACTIVITY_FIELDS} }
}`;

export interface DeletionPreview {
  kind: "flow" | "version" | "project";
  name: string;
  version: number | null;
  flows: number;
  versions: number;
  runs: number;
  runsInProgress: number;
}

export interface ActivityEvent {
  id: string;
  kind: string;
  occurred: string;
  message: string;
  flowName: string | null;
  flowRunId: string | null;
  data: Record<string, unknown>;
}

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
