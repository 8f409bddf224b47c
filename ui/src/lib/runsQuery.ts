/**
 * The Runs page's state in its URL: filters, search, sort, page and timeline zoom are
 * query parameters, so a reload, a shared link and the back button all show the same
 * list. `readRunsQuery` turns the parameters into the query's variables; `withParams`
 * builds the next URL (a filter change goes back to the first page).
 */

export const SORTS = {
  scheduled: ["SCHEDULED_START_TIME_ASC", "SCHEDULED_START_TIME_DESC"],
  started: ["START_TIME_ASC", "START_TIME_DESC"],
  ended: ["END_TIME_ASC", "END_TIME_DESC"],
  duration: ["DURATION_ASC", "DURATION_DESC"],
  name: ["NAME_ASC", "NAME_DESC"],
  state: ["STATE_ASC", "STATE_DESC"],
} as const;

export type SortKey = keyof typeof SORTS;
export const DEFAULT_SORT = "-scheduled";
export const PAGE_SIZE = 50;

/** Parameters that narrow the list (changing one goes back to page 1). */
export const FILTER_PARAMS = ["state", "flow", "project", "label", "agent", "q", "sfrom", "sto", "rfrom", "rto", "sort"] as const;

export function parseSort(value: string | null): { key: SortKey; descending: boolean } {
  const text = value || DEFAULT_SORT;
  const descending = text.startsWith("-");
  const key = text.replace(/^-/, "");
  if (key in SORTS) return { key: key as SortKey, descending };
  return { key: "scheduled", descending: true };
}

/** The sort after clicking a column: the other direction if it is the current one. */
export function nextSort(current: string | null, key: SortKey): string {
  const { key: now, descending } = parseSort(current);
  if (now === key) return descending ? key : `-${key}`;
  return key === "name" || key === "state" ? key : `-${key}`;
}

const list = (value: string | null) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : []);

/** A `datetime-local` value (local time, no zone) as an ISO instant, or null. */
export function localToIso(value: string | null): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function readRunsQuery(search: string): { variables: Record<string, unknown>; cursors: string[]; states: string[] } {
  const params = new URLSearchParams(search);
  const { key, descending } = parseSort(params.get("sort"));
  const cursors = list(params.get("p"));
  const states = list(params.get("state"));
  const labels = list(params.get("label"));
  return {
    cursors,
    states,
    variables: {
      states: states.length ? states : null,
      flowName: params.get("flow") || null,
      project: params.get("project") || null,
      labels: labels.length ? labels : null,
      agentId: params.get("agent") || null,
      search: params.get("q") || null,
      scheduledAfter: localToIso(params.get("sfrom")),
      scheduledBefore: localToIso(params.get("sto")),
      startedAfter: localToIso(params.get("rfrom")),
      startedBefore: localToIso(params.get("rto")),
      orderBy: SORTS[key][descending ? 1 : 0],
      first: PAGE_SIZE,
      after: cursors.length ? cursors[cursors.length - 1] : null,
    },
  };
}

/** `search` with `updates` applied (null or "" removes one); a filter change drops the page. */
export function withParams(search: string, updates: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [name, value] of Object.entries(updates)) {
    if (value == null || value === "") params.delete(name);
    else params.set(name, value);
  }
  if (Object.keys(updates).some((name) => (FILTER_PARAMS as readonly string[]).includes(name))) params.delete("p");
  const text = params.toString();
  return text ? `?${text}` : "";
}
