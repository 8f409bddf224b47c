/**
 * Steering a run by hand, from the run page and the task-run page:
 *
 * - "Mark as…": set a flow run's or a task run's state (Success, Failed, Cancelled,
 *   Skipped) with a reason, after a confirmation; the server's rules may refuse it (the
 *   dialog shows why) and record it in the state history with the reason and who.
 * - "Restart from…": pick a task; the dialog lists what will run again (the chosen task,
 *   what follows it, what did not succeed) before the restart is confirmed.
 * - "Compare with…": pick another run of the same flow; opens the compare page.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { MARK_FLOW_RUN, MARK_TASK_RUN, OTHER_RUNS, RESTART_FROM, RESTART_FROM_PREVIEW } from "../api/steeringDocuments";
import { navigate } from "../lib/router";
import { formatDateTime } from "../lib/time";
import { compareUrl } from "../routes";
import { toast } from "./Feedback";
import { IconAlert, IconRestart } from "./icons";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const MANUAL_STATES = ["Success", "Failed", "Cancelled", "Skipped"] as const;

const REASONS: Record<string, string> = {
  chosen: "chosen",
  failed: "did not succeed",
  downstream: "after a task that runs again",
  not_persisted: "its result was not persisted",
};

function Dialog({ title, testId, children, onClose }: { title: string; testId: string; children: ReactNode; onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="overlay" onMouseDown={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} onMouseDown={(e) => e.stopPropagation()}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export interface MarkTarget {
  kind: "flow_run" | "task_run";
  id: string;
  label: string;
  state: string;
}

export function MarkAsButton({ target, onDone, disabledReason }: { target: MarkTarget; onDone: () => void; disabledReason?: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} disabled={Boolean(disabledReason)} title={disabledReason ?? undefined} data-testid="mark-as">Mark as…</button>
      {open && <MarkAsDialog target={target} onClose={() => setOpen(false)} onDone={() => { setOpen(false); onDone(); }} />}
    </>
  );
}

function MarkAsDialog({ target, onClose, onDone }: { target: MarkTarget; onClose: () => void; onDone: () => void }) {
  const choices = MANUAL_STATES.filter((s) => s !== target.state);
  const [state, setState] = useState<string>(choices.includes("Failed") ? "Failed" : choices[0]);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const what = target.kind === "flow_run" ? "flow run" : "task run";
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError("Say why: the reason is kept in the state history.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const variables = { id: target.id, state, reason };
      const now = target.kind === "flow_run"
        ? (await request(MARK_FLOW_RUN, variables)).markFlowRun.state
        : (await request(MARK_TASK_RUN, variables)).markTaskRun.state;
      toast(now === "Cancelling" ? `Cancellation requested: ${target.label} stops and ends Cancelled` : `${target.label} marked ${now}`);
      onDone();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Mark ${target.label} as…`} testId="mark-dialog" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="small muted" style={{ margin: 0 }}>
          Sets this {what}’s state by hand, through the server’s rules, and records it in the state history with your reason.
          {target.kind === "flow_run" ? " A running run’s process stops." : " A failed task run runs again when the flow run is restarted."}
        </p>
        <div className="field">
          <label htmlFor="mark-state">New state</label>
          <select id="mark-state" className="select" value={state} onChange={(e) => setState(e.target.value)} data-testid="mark-state">
            {choices.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="mark-reason">Reason <span className="req" aria-label="required">*</span></label>
          <textarea id="mark-reason" className="textarea" rows={2} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. the load was checked by hand" data-testid="mark-reason" />
        </div>
        {error && <div className="banner error" role="alert" data-testid="mark-error"><IconAlert size={16} />{error}</div>}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" className="btn" onClick={onClose}>Keep it</button>
          <button type="submit" className={state === "Failed" || state === "Cancelled" ? "btn btn-danger" : "btn btn-primary"} disabled={busy} data-testid="mark-confirm">
            {busy ? "Marking…" : `Mark ${state}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RestartFromButton({ runId, tasks, initial, onDone, label = "Restart from…" }: { runId: string; tasks: string[]; initial?: string; onDone: () => void; label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="restart-from"><IconRestart size={15} /> {label}</button>
      {open && <RestartFromDialog runId={runId} tasks={tasks} initial={initial ?? tasks[0] ?? ""} onClose={() => setOpen(false)} onDone={() => { setOpen(false); onDone(); }} />}
    </>
  );
}

function RestartFromDialog({ runId, tasks, initial, onClose, onDone }: { runId: string; tasks: string[]; initial: string; onClose: () => void; onDone: () => void }) {
  const [slug, setSlug] = useState(initial);
  const [busy, setBusy] = useState(false);
  const { data, error } = useQuery(RESTART_FROM_PREVIEW, { id: runId, fromTasks: slug ? [slug] : null }, { skip: !slug });
  const preview = data?.flowRun.restartPreview;
  const restart = async () => {
    setBusy(true);
    try {
      await request(RESTART_FROM, { id: runId, fromTasks: [slug] });
      toast(`Run restarted from ${slug}`);
      onDone();
    } catch (failure) {
      toast(failure instanceof Error ? failure.message : String(failure), true);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Restart from a task" testId="restart-from-dialog" onClose={onClose}>
      <div className="form">
        <div className="field">
          <label htmlFor="restart-from-task">Task</label>
          <select id="restart-from-task" className="select" value={slug} onChange={(e) => setSlug(e.target.value)} data-testid="restart-from-task">
            {tasks.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
          <span className="help">It and everything downstream of it run again; upstream results are reused when they were persisted.</span>
        </div>
        <div className="small" data-testid="restart-from-preview">
          {error ? <span className="muted">What would run again could not be read: {messageOf(error)}</span> : !preview ? <span className="muted">Reading what runs again…</span> : !preview.restartable ? (
            <span className="muted">The run is {preview.state}: only a finished run can be restarted.</span>
          ) : (
            <>
              <div style={{ marginBottom: 6 }}>
                Runs again: {preview.rerunCount.toLocaleString()} task run{preview.rerunCount === 1 ? "" : "s"}; reused: {preview.reusedCount.toLocaleString()}.
              </div>
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {inGraphOrder(preview.rerun, tasks).map((g) => (
                  <li key={`${g.taskSlug}:${g.reason}`} data-testid="restart-from-group" data-slug={g.taskSlug} data-reason={g.reason}>
                    <span className="mono">{g.taskSlug}</span>{g.count > 1 ? ` ×${g.count.toLocaleString()}` : ""} <span className="muted">— {REASONS[g.reason] ?? g.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" className="btn" onClick={onClose}>Keep it</button>
          <button type="button" className="btn btn-primary" disabled={busy || !preview?.restartable} onClick={() => void restart()} data-testid="restart-from-confirm">
            {busy ? "Restarting…" : `Restart from ${slug}`}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** Groups in the flow's task order (the order of `tasks`), the others after them by slug. */
export function inGraphOrder<T extends { taskSlug: string }>(groups: T[], tasks: string[]): T[] {
  const rank = new Map(tasks.map((slug, i) => [slug, i]));
  const at = (g: T) => rank.get(g.taskSlug) ?? tasks.length;
  return [...groups].sort((x, y) => at(x) - at(y) || x.taskSlug.localeCompare(y.taskSlug));
}

export function CompareWithButton({ runId, flowGroupId }: { runId: string; flowGroupId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="compare-with">Compare with…</button>
      {open && <CompareWithDialog runId={runId} flowGroupId={flowGroupId} onClose={() => setOpen(false)} />}
    </>
  );
}

function CompareWithDialog({ runId, flowGroupId, onClose }: { runId: string; flowGroupId: string; onClose: () => void }) {
  const { data, error } = useQuery(OTHER_RUNS, { flowGroupId, first: 50 });
  const others = (data?.flowRuns.nodes ?? []).filter((r) => r.id !== runId);
  const [other, setOther] = useState("");
  const chosen = other || others[0]?.id || "";
  return (
    <Dialog title="Compare with another run" testId="compare-dialog" onClose={onClose}>
      <div className="form">
        {error ? <p className="muted">The flow’s runs could not be read: {messageOf(error)}</p> : !data ? <p className="muted">Reading the flow’s runs…</p> : others.length === 0 ? (
          <p className="muted">This flow has no other run yet.</p>
        ) : (
          <div className="field">
            <label htmlFor="compare-other">Run of the same flow</label>
            <select id="compare-other" className="select" value={chosen} onChange={(e) => setOther(e.target.value)} data-testid="compare-other">
              {others.map((r) => <option key={r.id} value={r.id}>{r.name} · {r.state} · {formatDateTime(r.scheduledStartTime)}</option>)}
            </select>
          </div>
        )}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" className="btn" onClick={onClose}>Close</button>
          <button type="button" className="btn btn-primary" disabled={!chosen} onClick={() => navigate(compareUrl(runId, chosen))} data-testid="compare-open">Compare</button>
        </div>
      </div>
    </Dialog>
  );
}
