/**
 * A small, safe markdown renderer for artifacts: markdown in, React elements out.
 *
 * Safe by construction: it never produces HTML text, so nothing a task writes is parsed
 * as HTML. Raw HTML in the markdown (`<script>`, `<img onerror>`) is shown as the text it
 * is, React escapes every string, and a link gets an `href` only when its URL is http(s)
 * (`javascript:`, `data:` and relative URLs are shown as plain text). Images are shown as
 * links, never loaded: an artifact must not make the browser fetch anything.
 *
 * What it reads: ATX headings, paragraphs, emphasis (** __ * _), inline code, fenced code
 * blocks, links, bullet and numbered lists (one level), block quotes, horizontal rules and
 * GFM tables. Anything else stays text.
 */
import type { ReactNode } from "react";

/** `url` if it is an absolute http(s) URL, else null. */
export function safeHref(url: string): string | null {
  const text = url.trim();
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    const parsed = new URL(text);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function SafeLink({ href, children }: { href: string; children: ReactNode }) {
  const safe = safeHref(href);
  if (safe === null) return <span className="md-unsafe-link" title="Not an http(s) link: not opened">{children}</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}

// -- inline ---------------------------------------------------------------------------------

const INLINE: { name: string; re: RegExp }[] = [
  { name: "code", re: /`([^`]+)`/ },
  { name: "image", re: /!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/ },
  { name: "link", re: /\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/ },
  // Underscores open emphasis only after a space or "(" (`snake_case`, `obj.__dunder` stay text).
  { name: "strong", re: /\*\*(?!\s)(.+?)(?<!\s)\*\*|(?<![^\s(])__(?!\s)(.+?)(?<!\s)__(?!\w)/ },
  { name: "em", re: /\*(?!\s)(.+?)(?<!\s)\*|(?<![^\s(])_(?!\s)(.+?)(?<!\s)_(?!\w)/ },
  { name: "auto", re: /https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/ },
];

export function renderInline(text: string, key = "i"): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest) {
    let best: { name: string; m: RegExpExecArray } | null = null;
    for (const { name, re } of INLINE) {
      const m = re.exec(rest);
      if (m && (best === null || m.index < best.m.index)) best = { name, m };
    }
    if (!best) {
      out.push(rest);
      break;
    }
    const { name, m } = best;
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const k = `${key}.${n++}`;
    if (name === "code") out.push(<code key={k}>{m[1]}</code>);
    else if (name === "image") out.push(<SafeLink key={k} href={m[2]}>{m[1] || m[2]}</SafeLink>);
    else if (name === "link") out.push(<SafeLink key={k} href={m[2]}>{renderInline(m[1], k)}</SafeLink>);
    else if (name === "strong") out.push(<strong key={k}>{renderInline(m[1] ?? m[2], k)}</strong>);
    else if (name === "em") out.push(<em key={k}>{renderInline(m[1] ?? m[2], k)}</em>);
    else out.push(<SafeLink key={k} href={m[0]}>{m[0]}</SafeLink>);
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

// -- blocks ---------------------------------------------------------------------------------

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBER = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

function starts(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || BULLET.test(line) || NUMBER.test(line);
}

export function renderMarkdown(markdown: string): ReactNode[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: ReactNode[] = [];
  let i = 0;
  const key = () => `b${out.length}`;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    if (FENCE.test(line)) {
      const fence = line.trim().slice(0, 3);
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence)) body.push(lines[i++]);
      i++;
      out.push(<pre key={key()} className="md-code"><code>{body.join("\n")}</code></pre>);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      // One level below the page's own headings.
      const level = Math.min(heading[1].length + 1, 6);
      const Tag = `h${level}` as "h2" | "h3" | "h4" | "h5" | "h6";
      out.push(<Tag key={key()} className="md-heading">{renderInline(heading[2], key())}</Tag>);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push(<hr key={key()} />);
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(QUOTE.exec(lines[i++])![1]);
      out.push(<blockquote key={key()}>{renderMarkdown(body.join("\n"))}</blockquote>);
      continue;
    }
    const listKind = BULLET.test(line) ? BULLET : NUMBER.test(line) ? NUMBER : null;
    if (listKind) {
      const items: string[] = [];
      while (i < lines.length && listKind.test(lines[i])) items.push(listKind.exec(lines[i++])![1]);
      const k = key();
      const children = items.map((item, n) => <li key={n}>{renderInline(item, `${k}.${n}`)}</li>);
      out.push(listKind === BULLET ? <ul key={k}>{children}</ul> : <ol key={k}>{children}</ol>);
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1]) && lines[i + 1].includes("-")) {
      const head = cells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i].includes("|") && lines[i].trim()) rows.push(cells(lines[i++]));
      const k = key();
      out.push(
        <div key={k} className="table-wrap">
          <table className="table md-table">
            <thead><tr>{head.map((h, n) => <th key={n}>{renderInline(h, `${k}h${n}`)}</th>)}</tr></thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r}>{head.map((_, c) => <td key={c}>{renderInline(row[c] ?? "", `${k}.${r}.${c}`)}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && lines[i].trim() && !starts(lines[i])) body.push(lines[i++].trim());
    if (body.length === 0) body.push(lines[i++].trim());
    out.push(<p key={key()}>{renderInline(body.join(" "), key())}</p>);
  }
  return out;
}

export function Markdown({ text }: { text: string }) {
  return <div className="markdown">{renderMarkdown(text)}</div>;
}
