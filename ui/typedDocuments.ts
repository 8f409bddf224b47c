/**
 * A build step for the typed GraphQL documents (src/gql/, `npm run codegen`): what the
 * client preset's Babel plugin does, for Vite. `graphql(`...`)` looks its document up in
 * a map of every document the UI has, which would put all of them into the entry chunk;
 * here each call becomes an import of its one generated document (the same object the
 * call returns), and the generated documents are marked pure, so each lands in the chunk
 * of the page that uses it and the map is dropped.
 */
import type { Plugin } from "vite";

const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
const DEFINITION = /^\s*(query|mutation|subscription|fragment)\s+(\w+)/;

export function typedDocuments(generated: string): Plugin {
  return {
    name: "proctor-typed-documents",
    apply: "build",
    enforce: "pre",
    transform(code, id) {
      const file = id.split("?")[0];
      if (file === generated) {
        return code.replaceAll("= new TypedDocumentString(", "= /* @__PURE__ */ new TypedDocumentString(");
      }
      if (!/\.tsx?$/.test(file) || file.startsWith(generated.replace(/graphql\.ts$/, "")) || !code.includes("graphql(")) return null;
      const names = new Set<string>();
      const replaced = code.replace(CALL, (call, text: string) => {
        const found = DEFINITION.exec(text);
        if (!found) return call; // codegen reports it
        const name = found[1] === "fragment" ? `${found[2]}FragmentDoc` : `${found[2]}Document`;
        names.add(name);
        return `__typed_${name}`;
      });
      if (!names.size) return null;
      const imports = [...names].map((name) => `${name} as __typed_${name}`).join(", ");
      return { code: `import { ${imports} } from ${JSON.stringify(generated)};\n${replaced}`, map: null };
    },
  };
}
