/** Formatting of times and durations, the same everywhere. */

export function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** "450ms", "12.3s", "4m 05s", "2h 03m", "3d 4h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  const sec = total % 60;
  if (m < 60) return `${m}m ${String(sec).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** "just now", "5 min ago", "in 3 h", "2 days ago". */
export function formatRelative(value: string | number | null | undefined, now = Date.now()): string {
  const ms = typeof value === "number" ? value : parseTime(value);
  if (ms == null) return "—";
  const diff = ms - now;
  const abs = Math.abs(diff);
  const unit = (n: number, word: string) => {
    const r = Math.round(n);
    const text = `${r} ${word}${r === 1 ? "" : "s"}`;
    return diff < 0 ? `${text} ago` : `in ${text}`;
  };
  if (abs < 10_000) return diff < 0 ? "just now" : "in a moment";
  if (abs < 60_000) return unit(abs / 1000, "second");
  if (abs < 3_600_000) return unit(abs / 60_000, "minute");
  if (abs < 86_400_000) return unit(abs / 3_600_000, "hour");
  return unit(abs / 86_400_000, "day");
}

// Made on first use, or ahead of it (`prepareFormatting`): a page's first Intl formatter
// costs ~25 ms (loading the locale's data), too much for the first render to pay.
let dateTime: Intl.DateTimeFormat | null = null;
let timeOnly: Intl.DateTimeFormat | null = null;

function dateTimeFormat(): Intl.DateTimeFormat {
  dateTime ??= new Intl.DateTimeFormat(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return dateTime;
}

function timeOnlyFormat(): Intl.DateTimeFormat {
  timeOnly ??= new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  return timeOnly;
}

/** Set up the date and number formatting now: the app calls it while the main thread
 * waits for the first page's code and data. */
export function prepareFormatting(): void {
  dateTimeFormat();
  timeOnlyFormat();
  (0).toLocaleString();
}

export function formatDateTime(value: string | number | null | undefined): string {
  const ms = typeof value === "number" ? value : parseTime(value);
  return ms == null ? "—" : dateTimeFormat().format(ms);
}

export function formatClock(value: string | number | null | undefined): string {
  const ms = typeof value === "number" ? value : parseTime(value);
  if (ms == null) return "—";
  const d = new Date(ms);
  return `${timeOnlyFormat().format(ms)}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

/** A run's duration: end (or now while it runs) minus start; null before it starts. */
export function runDuration(start: string | null | undefined, end: string | null | undefined, now = Date.now()): number | null {
  const s = parseTime(start);
  if (s == null) return null;
  const e = parseTime(end) ?? now;
  return Math.max(0, e - s);
}
