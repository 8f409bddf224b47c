/** Every page's URL, in one place, so links and the router agree. */
import { pathTo } from "./lib/router";

export const ROUTES = {
  dashboard: "/",
  flows: "/flows",
  flow: "/flows/:id",
  flowRun: "/runs/:id",
  taskRun: "/runs/:id/tasks/:slug",
  mappedTaskRun: "/runs/:id/tasks/:slug/:index",
  agents: "/agents",
  projects: "/projects",
} as const;

export const flowUrl = (id: string, tab?: string) => pathTo(ROUTES.flow, { id }) + (tab ? `?tab=${tab}` : "");
export const flowRunUrl = (id: string, tab?: string) => pathTo(ROUTES.flowRun, { id }) + (tab ? `?tab=${tab}` : "");
export const taskRunUrl = (runId: string, slug: string, mapIndex = -1) =>
  mapIndex >= 0 ? pathTo(ROUTES.mappedTaskRun, { id: runId, slug, index: mapIndex }) : pathTo(ROUTES.taskRun, { id: runId, slug });
