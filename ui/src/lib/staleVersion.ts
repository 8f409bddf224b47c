/**
 * Edits made on an older version of a record: the server refuses them with STALE_VERSION
 * (the schedule editor sends the version it loaded) instead of overwriting what someone
 * else saved in between.
 */
import { ApiError } from "../api/client";

export const STALE_SCHEDULE =
  "This schedule was changed by someone else since you opened it: reload to see it";

export function isStaleVersion(error: unknown): boolean {
  return error instanceof ApiError && error.code === "STALE_VERSION";
}
