/**
 * GraphQL Code Generator: the TypeScript types of every document the UI sends, from the
 * committed schema (the server's SDL, regenerated with `python -m
 * proctor.server.api.export_schema`) and the `graphql(`...`)` calls in src/.
 *
 * `npm run codegen` writes src/gql/ (committed); `npm run codegen:check` fails when it is
 * stale, and codegen fails on a document the schema rejects.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../src/proctor/server/api/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // The UI sends documents as strings (fetch and graphql-ws), not as parsed ASTs.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        // DateTime arrives as an ISO string; JSON fields have no shape in the schema, the
        // UI's own types (JsonObject, TaskSummaryEntry...) say what it reads from them.
        scalars: { DateTime: "string", JSON: "any" },
      },
    },
  },
};

export default config;
