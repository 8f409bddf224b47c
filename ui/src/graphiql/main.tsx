/**
 * The GraphiQL page the server answers `GET /graphql` from a browser with. It is built with
 * the UI from the `graphiql` package, so the page loads nothing but this server's own
 * files (no CDN: it works offline and under the UI's Content-Security-Policy). Queries
 * and mutations go to `/graphql` with the session's CSRF token, subscriptions over the
 * same websocket protocol the UI uses.
 */
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import { createClient } from "graphql-ws";
import { createRoot } from "react-dom/client";
import { GRAPHQL_PATH } from "../api/client";
import "./graphiql.css";

const { protocol, host } = window.location;

/** A logged-in browser proves with its session's CSRF cookie that this page sent a request. */
function csrfHeader(): Record<string, string> {
  const match = document.cookie.split("; ").find((part) => part.startsWith("proctor_csrf="));
  return match ? { "X-CSRF-Token": decodeURIComponent(match.slice("proctor_csrf=".length)) } : {};
}

const fetcher = createGraphiQLFetcher({
  url: GRAPHQL_PATH,
  headers: csrfHeader(),
  wsClient: createClient({ url: `${protocol === "https:" ? "wss:" : "ws:"}//${host}${GRAPHQL_PATH}`, lazy: true }),
});

const root = document.getElementById("graphiql");
if (root) {
  root.textContent = "";
  createRoot(root).render(<GraphiQL fetcher={fetcher} defaultEditorToolsVisibility={false} />);
}
