/** The documents of artifacts and result details (run, task-run and Artifacts pages). */
import { graphql } from "../gql";

graphql(`
fragment ArtifactFields on Artifact {
  id key type description data flowRunId flowRunName flowName taskRunId taskSlug mapIndex
  created updated
}`);

export const TASK_RUN_OUTPUTS = graphql(`
query TaskRunOutputs($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {
  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {
    id
    artifacts { ...ArtifactFields }
    result { location size serializer resultType preview previewNote loadSnippet }
  }
}`);

export const ARTIFACTS_PAGE = graphql(`
query ArtifactsPage($key: String, $type: String, $latestPerKey: Boolean!, $first: Int, $after: String) {
  artifactsPage(key: $key, type: $type, latestPerKey: $latestPerKey, first: $first, after: $after) {
    nodes { ...ArtifactFields }
    pageInfo { endCursor hasNextPage }
  }
}`);

export const RUN_ARTIFACTS_PAGE = graphql(`
query RunArtifactsPage($flowRunId: ID!, $first: Int!, $after: String) {
  artifactsPage(flowRunId: $flowRunId, first: $first, after: $after) {
    nodes { ...ArtifactFields }
    pageInfo { endCursor hasNextPage }
    totalCount
  }
}`);
