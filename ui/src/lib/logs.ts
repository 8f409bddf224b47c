/** Log lines: level names, filtering, search matches and the download format. */
import type { LogLine } from "../api/types";

export const LEVELS: [number, string][] = [
  [0, "All levels"],
  [10, "Debug+"],
  [20, "Info+"],
  [30, "Warning+"],
  [40, "Error+"],
];

export function filterLogs(lines: LogLine[], options: { levelMin?: number; search?: string; taskSlug?: string | null; mapIndex?: number | null }): LogLine[] {
  const needle = options.search?.trim().toLowerCase() ?? "";
  const min = options.levelMin ?? 0;
  const slug = options.taskSlug ?? null;
  const index = options.mapIndex ?? null;
  if (!needle && !min && slug == null) return lines;
  return lines.filter(
    (l) =>
      l.level >= min &&
      (slug == null || (l.taskSlug === slug && (index == null || (l.mapIndex ?? -1) === index))) &&
      (!needle || l.message.toLowerCase().includes(needle) || (l.taskSlug ?? "").toLowerCase().includes(needle)),
  );
}

/** Split `text` around case-insensitive matches of `needle` (for <mark> highlighting). */
export function splitMatches(text: string, needle: string): { text: string; match: boolean }[] {
  const n = needle.trim();
  if (!n) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const target = n.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (let i = lower.indexOf(target); i >= 0; i = lower.indexOf(target, i + target.length)) {
    if (i > at) parts.push({ text: text.slice(at, i), match: false });
    parts.push({ text: text.slice(i, i + target.length), match: true });
    at = i + target.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

export function logSource(line: Pick<LogLine, "taskSlug" | "mapIndex" | "name">): string {
  if (line.taskSlug) return line.mapIndex != null && line.mapIndex >= 0 ? `${line.taskSlug}[${line.mapIndex}]` : line.taskSlug;
  return line.name ?? "flow";
}

export function formatLogFile(lines: LogLine[]): string {
  return lines.map((l) => `${l.timestamp} ${l.levelName.padEnd(8)} ${logSource(l)}: ${l.message}`).join("\n") + (lines.length ? "\n" : "");
}
