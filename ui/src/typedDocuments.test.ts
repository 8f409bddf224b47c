// The build step that turns each graphql() call into an import of its generated document.
import { typedDocuments } from "../typedDocuments";

const GENERATED = "/ui/src/gql/graphql.ts";

function transform(code: string, id: string): string | null {
  const hook = typedDocuments(GENERATED).transform;
  if (typeof hook !== "function") throw new Error("the plugin has no transform function");
  const out = (hook as (code: string, id: string) => { code: string } | string | null).call(undefined, code, id);
  return out === null ? null : typeof out === "string" ? out : out.code;
}

describe("typedDocuments", () => {
  it("imports each call's own generated document, operations and fragments", () => {
    const code = [
      'import { graphql } from "../gql";',
      "graphql(`fragment RunFields on FlowRun { id }`);",
      "export const RUNS = graphql(`\nquery Runs($first: Int!) { flowRuns(first: $first) { nodes { ...RunFields } } }`);",
      "export const CANCEL = graphql(`mutation Cancel($id: ID!) { cancelFlowRun(id: $id) { id } }`);",
    ].join("\n");
    const out = transform(code, "/ui/src/api/runs.ts");
    expect(out).toContain(`import { RunFieldsFragmentDoc as __typed_RunFieldsFragmentDoc, RunsDocument as __typed_RunsDocument, CancelDocument as __typed_CancelDocument } from "${GENERATED}";`);
    expect(out).toContain("export const RUNS = __typed_RunsDocument;");
    expect(out).toContain("export const CANCEL = __typed_CancelDocument;");
    expect(out).not.toMatch(/graphql\(`/);
  });

  it("marks the generated documents pure, so the unused ones are dropped", () => {
    const out = transform("export const RunsDocument = new TypedDocumentString(`query Runs { x }`);", GENERATED);
    expect(out).toBe("export const RunsDocument = /* @__PURE__ */ new TypedDocumentString(`query Runs { x }`);");
  });

  it("leaves files without documents, and the generated folder's other files, alone", () => {
    expect(transform("export const x = 1;", "/ui/src/lib/x.ts")).toBeNull();
    expect(transform("export function graphql(source: string) { return source; }", "/ui/src/gql/gql.ts")).toBeNull();
  });
});
