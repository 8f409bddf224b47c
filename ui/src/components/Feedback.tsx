/** Toasts and a confirmation dialog: the two kinds of feedback actions need. */
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

type Toast = { id: number; text: string; error: boolean };
let toasts: Toast[] = [];
const listeners = new Set<() => void>();
let nextId = 1;

export function toast(text: string, error = false): void {
  const item = { id: nextId++, text, error };
  toasts = [...toasts, item];
  listeners.forEach((l) => l());
  setTimeout(() => {
    toasts = toasts.filter((t) => t.id !== item.id);
    listeners.forEach((l) => l());
  }, error ? 6000 : 3000);
}

export function Toasts() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toasts,
  );
  const last = list[list.length - 1];
  return last ? (
    <div className={`toast${last.error ? " error" : ""}`} role="status">
      {last.text}
    </div>
  ) : null;
}

export function Confirm({ title, children, confirmLabel, danger, onConfirm, onCancel }: { title: string; children: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="overlay" onMouseDown={onCancel}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} onMouseDown={(e) => e.stopPropagation()}>
        <h2>{title}</h2>
        <p>{children}</p>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" className="btn" onClick={onCancel}>Keep it</button>
          <button type="button" autoFocus className={danger ? "btn btn-danger" : "btn btn-primary"} disabled={busy}
            onClick={() => { setBusy(true); onConfirm(); }}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
