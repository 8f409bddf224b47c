/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { typedDocuments } from "./typedDocuments";

// The build goes into the Python package, where the server serves it at `/`.
const outDir = fileURLToPath(new URL("../src/proctor/server/ui_dist", import.meta.url));
// `npm run dev` proxies the API to a server started with `proctor server start --port 4300`.
const api = process.env.PROCTOR_UI_API ?? "http://127.0.0.1:4300";

// What GraphQL Code Generator writes (`npm run codegen`): the UI's typed documents.
const generated = fileURLToPath(new URL("./src/gql/graphql.ts", import.meta.url));

export default defineConfig({
  plugins: [typedDocuments(generated), react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      // The app, and the GraphiQL page the server answers `GET /graphql` with
      // (ui_dist/src/graphiql/index.html: under src/, which the build's stamp watches).
      input: {
        main: fileURLToPath(new URL("./index.html", import.meta.url)),
        graphiql: fileURLToPath(new URL("./src/graphiql/index.html", import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      "/graphql": { target: api, ws: true, changeOrigin: true },
      "/health": { target: api },
      "/auth": { target: api },
    },
  },
  test: {
    environment: "node", // component tests opt into jsdom with a @vitest-environment comment
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
