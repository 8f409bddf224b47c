/** The documents of artifacts and result details (run, task-run and Artifacts pages). */

export const ARTIFACT_FIELDS = `
  id key type description data flowRunId flowRunName flowName taskRunId taskSlug mapIndex
  created updated`;

export const RUN_ARTIFACTS = `
query RunArtifacts($id: ID!) {
  flowRun(id: $id) { id artifacts { ${ARTIFACT_FIELDS} } }
}`;

export const TASK_RUN_OUTPUTS = `
query TaskRunOutputs($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {
  taskRun(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex) {
    id
    artifacts { ${ARTIFACT_FIELDS} }
    result { location size serializer resultType preview previewNote loadSnippet }
  }
}`;

export const ARTIFACTS = `
query Artifacts($key: String, $type: String, $latestPerKey: Boolean!, $first: Int, $offset: Int!) {
  artifacts(key: $key, type: $type, latestPerKey: $latestPerKey, first: $first, offset: $offset) {
    ${ARTIFACT_FIELDS}
  }
}`;
