/** Artifacts and result details as the API sends them (see artifactDocuments.ts). */

export type ArtifactType = "markdown" | "link" | "table";

export interface Artifact {
  id: string;
  key: string | null;
  type: ArtifactType | string;
  description: string | null;
  data: { markdown?: string; link?: string; text?: string; columns?: string[]; rows?: unknown[][] };
  flowRunId: string;
  flowRunName: string | null;
  flowName: string | null;
  taskRunId: string | null;
  taskSlug: string | null;
  mapIndex: number | null;
  created: string;
  updated: string;
}

export interface ResultDetails {
  location: string;
  size: number | null;
  serializer: string | null;
  resultType: string | null;
  preview: string | null;
  previewNote: string;
  loadSnippet: string;
}
