import { useState, type ReactNode } from "react";
import { IconCopy } from "./icons";

/** A shell command with a copy button. */
export function Command({ children }: { children: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(children);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      /* clipboard refused (insecure context): the text is still selectable */
    }
  };
  return (
    <div className="cmd">
      <span className="prompt">$</span>
      <code>{children}</code>
      <button type="button" className="btn btn-sm btn-ghost" onClick={copy} title="Copy" aria-label={`Copy ${children}`}>
        {copied ? "Copied" : <IconCopy size={15} />}
      </button>
    </div>
  );
}

/** What a new user sees instead of an empty list: what this is, and what to do next. */
export function EmptyState({ icon, title, children, commands = [] }: { icon?: ReactNode; title: string; children?: ReactNode; commands?: string[] }) {
  return (
    <div className="empty">
      {icon && <div className="icon">{icon}</div>}
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {commands.map((command) => (
        <Command key={command}>{command}</Command>
      ))}
    </div>
  );
}
