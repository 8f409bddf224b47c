/** Every page's URL, in one place, so links and the router agree. */
import { pathTo } from "./lib/router";

export const ROUTES = {
  dashboard: "/",
  flows: "/flows",
  flow: "/flows/:id",
  runs: "/runs",
  activity: "/activity",
  flowRun: "/runs/:id",
  backfill: "/backfills/:id",
  taskRun: "/runs/:id/tasks/:slug",
  mappedTaskRun: "/runs/:id/tasks/:slug/:index",
  agents: "/agents",
  projects: "/projects",
  login: "/login",
  acceptInvitation: "/accept-invitation",
  account: "/account",
  team: "/team",
  secrets: "/secrets",
  audit: "/audit",
  automations: "/automations",
  newAutomation: "/automations/new",
  automation: "/automations/:id",
  notifications: "/notifications",
  concurrencyLimits: "/limits",
  artifacts: "/artifacts",
  compare: "/compare",
} as const;

export const flowUrl = (id: string, tab?: string) => pathTo(ROUTES.flow, { id }) + (tab ? `?tab=${tab}` : "");
export const flowRunUrl = (id: string, tab?: string) => pathTo(ROUTES.flowRun, { id }) + (tab ? `?tab=${tab}` : "");
export const taskRunUrl = (runId: string, slug: string, mapIndex = -1) =>
  mapIndex >= 0 ? pathTo(ROUTES.mappedTaskRun, { id: runId, slug, index: mapIndex }) : pathTo(ROUTES.taskRun, { id: runId, slug });
export const automationUrl = (id: string) => pathTo(ROUTES.automation, { id });
export const teamUrl = (tab?: string) => ROUTES.team + (tab ? `?tab=${tab}` : "");
export const backfillUrl = (id: string) => pathTo(ROUTES.backfill, { id });
/** Two runs side by side (`/compare?a=RUN&b=RUN`): the run page and the Runs page link it. */
export const compareUrl = (a: string, b: string) => `${ROUTES.compare}?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
