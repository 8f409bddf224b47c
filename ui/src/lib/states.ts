/**
 * States: the families the server groups state names into, and their colours.
 *
 * Every state name maps to one family (Retrying is Scheduled, Cached is Success...). A
 * family has one colour token, used everywhere (badges, dots, schematic, Gantt, charts),
 * so a colour means the same thing on every page and in both themes; the token values
 * live in `styles/theme.css` (`--state-success` etc.).
 */

export const FAMILIES = [
  "Pending",
  "Scheduled",
  "Submitted",
  "Running",
  "Paused",
  "Cancelling",
  "Success",
  "Failed",
  "Cancelled",
  "Finished",
] as const;

export type Family = (typeof FAMILIES)[number];

const FAMILY_OF: Record<string, Family> = {
  Pending: "Pending",
  Scheduled: "Scheduled",
  Retrying: "Scheduled",
  Submitted: "Submitted",
  Running: "Running",
  Paused: "Paused",
  Cancelling: "Cancelling",
  Finished: "Finished",
  Success: "Success",
  Cached: "Success",
  Mapped: "Success",
  Skipped: "Success",
  Failed: "Failed",
  TriggerFailed: "Failed",
  TimedOut: "Failed",
  Cancelled: "Cancelled",
};

/** Names a user can filter on, grouped by family, in a sensible order. */
export const STATE_NAMES = Object.keys(FAMILY_OF);

export const FINISHED_FAMILIES: ReadonlySet<Family> = new Set([
  "Success",
  "Failed",
  "Cancelled",
  "Finished",
]);

export const ACTIVE_FAMILIES: ReadonlySet<Family> = new Set(["Submitted", "Running", "Cancelling", "Paused"]);

/** The family of a state name (or of a family name); unknown names count as Pending. */
export function familyOf(state: string | null | undefined): Family {
  if (!state) return "Pending";
  return FAMILY_OF[state] ?? "Pending";
}

export function isFinished(state: string | null | undefined): boolean {
  return FINISHED_FAMILIES.has(familyOf(state));
}

export function isActive(state: string | null | undefined): boolean {
  return ACTIVE_FAMILIES.has(familyOf(state));
}

/** The CSS custom property holding the colour of a state's family. */
export function stateColorVar(state: string | null | undefined): string {
  return `var(--state-${familyOf(state).toLowerCase()})`;
}

/**
 * Literal colours per family and theme, for places that cannot use CSS variables
 * (a downloaded chart, a canvas). They match `theme.css`.
 */
export const STATE_COLORS: Record<"light" | "dark", Record<Family, string>> = {
  light: {
    Pending: "#94a3b8",
    Scheduled: "#d4a017",
    Submitted: "#8b5cf6",
    Running: "#2563eb",
    Paused: "#0891b2",
    Cancelling: "#f97316",
    Success: "#16a34a",
    Failed: "#dc2626",
    Cancelled: "#64748b",
    Finished: "#0d9488",
  },
  dark: {
    Pending: "#64748b",
    Scheduled: "#eab308",
    Submitted: "#a78bfa",
    Running: "#60a5fa",
    Paused: "#22d3ee",
    Cancelling: "#fb923c",
    Success: "#4ade80",
    Failed: "#f87171",
    Cancelled: "#94a3b8",
    Finished: "#2dd4bf",
  },
};

/** Order used to stack states in charts and to sort summaries: problems first. */
const SEVERITY: Family[] = [
  "Failed",
  "Cancelling",
  "Running",
  "Submitted",
  "Paused",
  "Scheduled",
  "Pending",
  "Cancelled",
  "Finished",
  "Success",
];

export function severity(state: string): number {
  return SEVERITY.indexOf(familyOf(state));
}

/**
 * Counts per family of a set of states, and the one family that sums them up (what a
 * mapped task or a schematic node shows): any failure wins, then anything still active,
 * then waiting, and only all-successful is Success.
 */
export function summarize(states: Iterable<string>): { counts: Map<Family, number>; total: number; overall: Family } {
  const counts = new Map<Family, number>();
  let total = 0;
  for (const state of states) {
    const family = familyOf(state);
    counts.set(family, (counts.get(family) ?? 0) + 1);
    total += 1;
  }
  return { counts, total, overall: overallOf(counts, total) };
}

/** `summarize` of states already counted by name (e.g. `{Success: 9000, Failed: 3}`). */
export function summarizeCounts(byState: Record<string, number>): { counts: Map<Family, number>; total: number; overall: Family } {
  const counts = new Map<Family, number>();
  let total = 0;
  for (const [state, count] of Object.entries(byState)) {
    if (!count) continue;
    const family = familyOf(state);
    counts.set(family, (counts.get(family) ?? 0) + count);
    total += count;
  }
  return { counts, total, overall: overallOf(counts, total) };
}

function overallOf(counts: Map<Family, number>, total: number): Family {
  if (total === 0) return "Pending";
  const present = SEVERITY.filter((family) => counts.has(family));
  // Finished families only sum up a group when nothing in it is still going.
  const unfinished = present.find((f) => !FINISHED_FAMILIES.has(f));
  return !counts.has("Failed") && unfinished ? unfinished : present[0];
}
