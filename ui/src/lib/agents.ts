/**
 * Agent health. The server judges it (`Agent.health`: HEALTHY, LATE, UNHEALTHY, from the
 * last heartbeat and the agents' heartbeat interval; STOPPED after a clean stop); the UI
 * only names and colours it, with the words the CLI uses too.
 * `agentHealth` is the fallback for an answer without that field (an older server).
 */
export type Health = "healthy" | "late" | "unhealthy" | "stopped";

export const HEALTHY_WITHIN_MS = 60_000;
export const LATE_WITHIN_MS = 5 * 60_000;

export function agentHealth(lastHeartbeat: string | null, now = Date.now()): Health {
  const at = lastHeartbeat ? Date.parse(lastHeartbeat) : NaN;
  if (Number.isNaN(at)) return "unhealthy";
  const age = now - at;
  if (age <= HEALTHY_WITHIN_MS) return "healthy";
  if (age <= LATE_WITHIN_MS) return "late";
  return "unhealthy";
}

/** The health of an agent as the API sent it (its `health`, else judged from the heartbeat). */
export function healthOf(agent: { health?: string | null; lastHeartbeat: string | null }, now = Date.now()): Health {
  const told = agent.health?.toLowerCase();
  if (told === "healthy" || told === "late" || told === "unhealthy" || told === "stopped") return told;
  return agentHealth(agent.lastHeartbeat, now);
}

/** The state-colour family a health maps to, so health reads like everything else. */
export const HEALTH_FAMILY: Record<Health, string> = { healthy: "Success", late: "Scheduled", unhealthy: "Failed", stopped: "Cancelled" };

/** A stale agent can be removed: it stopped, or it has been silent too long. */
export function isStale(health: Health): boolean {
  return health === "stopped" || health === "unhealthy";
}
