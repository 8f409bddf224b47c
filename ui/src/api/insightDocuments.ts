/** Documents and types of what the server says about a run beyond its row: attempts,
 * why it failed, whether an agent can take it, what a restart runs again. */
import { graphql } from "../gql";
import type {
  AgentMatchFieldsFragment,
  DashboardQuery,
  FailureSummaryFieldsFragment,
  RestartPreviewQuery,
  RunInsightQuery,
} from "../gql/graphql";

export type RunInsight = NonNullable<RunInsightQuery["flowRun"]>;
export type RunAttempt = RunInsight["attempts"][number];
export type FailureSummary = FailureSummaryFieldsFragment;
export type FailedTaskRun = FailureSummary["causes"][number];
export type AgentMatch = AgentMatchFieldsFragment;
/** `rerun[].reason` is "chosen", "failed", "downstream" or "not_persisted". */
export type RestartPreview = NonNullable<RestartPreviewQuery["flowRun"]>["restartPreview"];

graphql(`
fragment FailureSummaryFields on FailureSummary {
  text total causes { taskSlug mapIndex taskRunName state exceptionType message }
}`);
graphql(`fragment AgentMatchFields on AgentMatch { covered healthyAgents matchingAgents missingLabels closestAgent suggestion }`);

export const RUN_INSIGHT = graphql(`
query RunInsight($id: ID!) {
  flowRun(id: $id) {
    id
    attempts { number began state stateType message startTime endTime }
    failureSummary { ...FailureSummaryFields }
    agentMatch { ...AgentMatchFields }
  }
}`);

export const RESTART_PREVIEW = graphql(`
query RestartPreview($id: ID!) {
  flowRun(id: $id) {
    id restartPreview { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }
  }
}`);

export type RecentFailure = DashboardQuery["failures"][number];
