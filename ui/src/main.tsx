import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, startRoute } from "./App";
import { clearQueryCache } from "./api/hooks";
import { restartLive } from "./api/live";
import { loadSession, onIdentityChange } from "./api/session";
import { prepareFormatting } from "./lib/time";
import "./styles/theme.css";
import "./styles/app.css";

// Who is asking decides what every page shows: when it changes (login, logout, another
// team), nothing read for the previous identity is kept, and the websocket reconnects.
onIdentityChange(() => {
  clearQueryCache();
  restartLive();
});
void loadSession();
// Before React's first render: the page's code and data are on their way a task sooner.
startRoute(window.location.pathname);
// Meanwhile the main thread is idle: set up what every page's first render formats with.
if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(prepareFormatting);
else setTimeout(prepareFormatting, 0);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
