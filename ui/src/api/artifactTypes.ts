/** Artifacts and result details: the generated types of artifactDocuments.ts. */
import type { ArtifactFieldsFragment, TaskRunOutputsQuery } from "../gql/graphql";

export type ArtifactType = "markdown" | "link" | "table";

/** What `data` holds (a JSON field, by type): the schema does not say, the server's
 * artifact writers do. */
export interface ArtifactData {
  markdown?: string;
  link?: string;
  text?: string;
  columns?: string[];
  rows?: unknown[][];
}

export type Artifact = Omit<ArtifactFieldsFragment, "data"> & { data: ArtifactData };
export type ResultDetails = NonNullable<NonNullable<TaskRunOutputsQuery["taskRun"]>["result"]>;
