/** A value the server shows once (a new API key, an invitation link, a signing secret). */
import { useState } from "react";
import { IconCopy } from "./icons";

export function OneTimeValue({ label, value, hint, onDone }: { label: string; value: string; hint?: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      /* no clipboard (insecure context): the value is selectable */
    }
  };
  return (
    <div className="one-time" data-testid="one-time" role="status">
      <div className="row">
        <strong>{label}</strong>
        <span className="small warn-text">Copy it now: it is shown only once.</span>
      </div>
      <div className="cmd one-time-value">
        <code data-testid="one-time-value">{value}</code>
        <button type="button" className="btn btn-sm" onClick={() => void copy()} data-testid="copy-value">
          <IconCopy size={15} /> {copied ? "Copied" : "Copy"}
        </button>
      </div>
      {hint && <p className="small muted">{hint}</p>}
      <div className="row" style={{ justifyContent: "flex-end" }}>
        <button type="button" className="btn btn-sm" onClick={onDone} data-testid="one-time-done">I saved it</button>
      </div>
    </div>
  );
}

/** The text of an error for a toast or a banner. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
