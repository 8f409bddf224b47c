import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { clearQueryCache } from "./api/hooks";
import { restartLive } from "./api/live";
import { loadSession, onIdentityChange } from "./api/session";
import "./styles/theme.css";
import "./styles/app.css";

// Who is asking decides what every page shows: when it changes (login, logout, another
// team), nothing read for the previous identity is kept, and the websocket reconnects.
onIdentityChange(() => {
  clearQueryCache();
  restartLive();
});
void loadSession();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
