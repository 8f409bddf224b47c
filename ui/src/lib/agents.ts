/** Agent health from the age of its last heartbeat. */
export type Health = "healthy" | "stale" | "unhealthy";

export const HEALTHY_WITHIN_MS = 60_000;
export const STALE_WITHIN_MS = 5 * 60_000;

export function agentHealth(lastHeartbeat: string | null, now = Date.now()): Health {
  const at = lastHeartbeat ? Date.parse(lastHeartbeat) : NaN;
  if (Number.isNaN(at)) return "unhealthy";
  const age = now - at;
  if (age <= HEALTHY_WITHIN_MS) return "healthy";
  if (age <= STALE_WITHIN_MS) return "stale";
  return "unhealthy";
}

/** The state-colour family a health maps to, so health reads like everything else. */
export const HEALTH_FAMILY: Record<Health, string> = { healthy: "Success", stale: "Scheduled", unhealthy: "Failed" };
