/** Small checks of form input, the same rules the server applies (it checks again). */

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,199}$/;

/** Why `name` is not a valid secret name, or null. */
export function secretNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return "Name the secret.";
  if (!SECRET_NAME.test(trimmed)) return "Use letters, digits and underscores, not starting with a digit (at most 200).";
  return null;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A duration as people type it, in seconds: "300", "45s", "10m", "1h30m", "2d", "1.5h".
 * Empty is null (the threshold is off); anything else unreadable is NaN.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase().replace(/\s+/g, "");
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const parts = value.match(/(\d+(?:\.\d+)?)([smhd])/g);
  if (!parts || parts.join("") !== value) return Number.NaN;
  return parts.reduce((total, part) => total + Number(part.slice(0, -1)) * UNITS[part.slice(-1)], 0);
}

/** Seconds as the shortest exact text `parseDuration` reads back: 5400 -> "1h30m". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "";
  if (!Number.isInteger(seconds)) return String(seconds);
  if (seconds === 0) return "0";
  let rest = seconds;
  let out = "";
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Why an SLA threshold text is wrong, or null (empty is fine: off). */
export function durationProblem(text: string): string | null {
  const seconds = parseDuration(text);
  if (seconds === null) return null;
  if (Number.isNaN(seconds)) return "Write a duration like 90s, 10m, 1h30m or a number of seconds.";
  if (seconds <= 0) return "A threshold must be more than zero.";
  return null;
}

export function isEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim());
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === "http:" || url.protocol === "https:") && Boolean(url.hostname);
  } catch {
    return false;
  }
}

/** Why a concurrency limit text is wrong, or null: a whole number, 0 holds everything. */
export function limitProblem(text: string): string | null {
  if (!/^\d+$/.test(text.trim())) return "The limit is a whole number (0 holds everything back).";
  if (Number(text) > 100_000) return "At most 100,000.";
  return null;
}
