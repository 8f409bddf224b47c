/**
 * The flow page's Schedule tab: the effective schedule's clocks, a form to add or edit one
 * with a live preview of its next 10 times, the on/off switch, and, when the schedule was
 * edited here (or by the API or CLI), a banner saying it overrides the schedule in code,
 * with a reset. Every edit names the version of the schedule it was made on: when someone
 * else changed the schedule since, the server refuses it and the tab says so, with a
 * reload that keeps what was typed in the form.
 */
import { useEffect, useState } from "react";
import { request } from "../api/client";
import { SET_SCHEDULE_ACTIVE } from "../api/documents";
import { useQuery } from "../api/hooks";
import {
  ADD_SCHEDULE_CLOCK,
  FLOW_SCHEDULE,
  REMOVE_SCHEDULE_CLOCK,
  RESET_FLOW_SCHEDULE,
  SCHEDULE_PREVIEW,
  UPDATE_SCHEDULE_CLOCK,
  type FlowSchedule,
  type ScheduleClock,
} from "../api/scheduleDocuments";
import { useCan } from "../api/session";
import type { Flow } from "../api/types";
import { Loaded } from "../components/ErrorView";
import { Confirm, toast } from "../components/Feedback";
import { Card } from "../components/Page";
import { clockInput, EMPTY_CLOCK, formOf, parseDefaults, type ClockForm, type ClockKind } from "../lib/scheduleForm";
import { isStaleVersion, STALE_SCHEDULE } from "../lib/staleVersion";
import { formatDateTime } from "../lib/time";
import "../styles/schedules.css";

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An edit the user started, and the version of the schedule it was started on: the
 * server refuses it (STALE_VERSION) if someone else changed the schedule since. */
interface Started<T> {
  target: T;
  version: string;
}

export function ScheduleTab({ flow }: { flow: Flow }) {
  const query = useQuery(FLOW_SCHEDULE, { flowId: flow.id });
  const can = useCan();
  const [editing, setEditing] = useState<Started<number | "new"> | null>(null);
  const [removing, setRemoving] = useState<Started<ScheduleClock> | null>(null);
  const [resetting, setResetting] = useState<Started<null> | null>(null);
  const [stale, setStale] = useState(false);
  const [reloaded, setReloaded] = useState(false);
  const loadedVersion = query.data?.flowSchedule.version;
  useEffect(() => {
    if (!reloaded || loadedVersion === undefined) return;
    // The form keeps what the user typed; saving it now applies to the schedule they see.
    setEditing((current) => current && { ...current, version: loadedVersion });
    setStale(false);
    setReloaded(false);
  }, [reloaded, loadedVersion]);
  const reload = async () => {
    await query.refetch();
    setReloaded(true);
  };
  const changed = async (write: () => Promise<unknown>, done: string) => {
    try {
      await write();
      toast(done);
      await query.refetch();
      return true;
    } catch (error) {
      if (isStaleVersion(error)) setStale(true);
      else toast(message(error), true);
      return false;
    }
  };
  return (
    <Loaded query={query}>
      {({ flowSchedule: schedule }) => (
        <div className="stack">
          {stale && (
            <div className="banner error" role="alert" data-testid="schedule-stale">
              <span style={{ flex: 1 }}>{STALE_SCHEDULE}. Nothing was saved{editing ? "; the form keeps what you typed" : ""}.</span>
              <button type="button" className="btn btn-sm" onClick={() => void reload()} data-testid="schedule-reload">Reload</button>
            </div>
          )}
          {schedule.overridden && (
            <div className="banner warn" role="status" data-testid="schedule-override-banner">
              <span style={{ flex: 1 }}>This schedule overrides the schedule in code{schedule.overriddenAt ? ` (edited ${formatDateTime(schedule.overriddenAt)})` : ""}. New versions keep it until it is reset.</span>
              {can.editFlows && <button type="button" className="btn btn-sm" onClick={() => setResetting({ target: null, version: schedule.version })} data-testid="schedule-reset">Reset to code</button>}
            </div>
          )}
          <Card title="Clocks" hint={schedule.overridden ? "edited" : "from code"} testId="schedule-clocks"
            actions={can.editFlows && (
              <div className="row">
                {schedule.clocks.length > 0 && (
                  <button type="button" role="switch" className="toggle" aria-checked={schedule.active} aria-label="Schedule active" data-testid="schedule-active-toggle"
                    onClick={() => void changed(() => request(SET_SCHEDULE_ACTIVE, { flowId: flow.id, active: !schedule.active }), `Schedule turned ${schedule.active ? "off" : "on"}`)} />
                )}
                <button type="button" className="btn btn-sm btn-primary" onClick={() => setEditing({ target: "new", version: schedule.version })} disabled={editing !== null} data-testid="add-clock">Add clock</button>
              </div>
            )} flush>
            {schedule.clocks.length === 0 ? (
              <p className="muted" style={{ margin: 0, padding: "14px 18px" }}>No clocks: the flow has no schedule.</p>
            ) : (
              <table className="table" data-testid="clock-table">
                <thead><tr><th>#</th><th>Kind</th><th>When</th><th>Time zone</th><th>Parameter defaults</th><th /></tr></thead>
                <tbody>
                  {schedule.clocks.map((clock) => (
                    <tr key={clock.index} data-testid="clock-row">
                      <td>{clock.index}</td>
                      <td>{clock.kind}</td>
                      <td className="mono small">{describe(clock)}</td>
                      <td>{clock.timezone ?? "UTC"}</td>
                      <td className="mono small">{Object.keys(clock.parameterDefaults).length ? JSON.stringify(clock.parameterDefaults) : <span className="faint">none</span>}</td>
                      <td style={{ textAlign: "right", whiteSpace: "nowrap" }}>
                        {can.editFlows && clock.kind !== "dates" && <button type="button" className="btn btn-sm btn-ghost" onClick={() => setEditing({ target: clock.index, version: schedule.version })} disabled={editing !== null} data-testid="edit-clock">Edit</button>}
                        {can.editFlows && <button type="button" className="btn btn-sm btn-ghost btn-danger" onClick={() => setRemoving({ target: clock, version: schedule.version })} data-testid="remove-clock">Remove</button>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div style={{ padding: "10px 18px", borderTop: "1px solid var(--border)" }} className="small" data-testid="schedule-state">
              <strong style={{ color: schedule.active ? "var(--state-success)" : "var(--text-faint)" }}>{schedule.active ? "Active" : "Off"}</strong>
              {schedule.nextTimes.length > 0 && <span className="muted"> · next {formatDateTime(schedule.nextTimes[0])}</span>}
            </div>
          </Card>
          {editing !== null && (
            <ClockEditor
              flow={flow}
              schedule={schedule}
              index={editing.target === "new" ? null : editing.target}
              onCancel={() => setEditing(null)}
              onSave={async (clock) => {
                const { target, version: expectedVersion } = editing;
                const ok = target === "new"
                  ? await changed(() => request(ADD_SCHEDULE_CLOCK, { flowId: flow.id, clock, expectedVersion }), "Clock added")
                  : await changed(() => request(UPDATE_SCHEDULE_CLOCK, { flowId: flow.id, index: target, clock, expectedVersion }), "Clock saved");
                if (ok) setEditing(null);
              }}
            />
          )}
          {removing && (
            <Confirm title={`Remove clock ${removing.target.index}?`} confirmLabel="Remove" danger onCancel={() => setRemoving(null)}
              onConfirm={() => {
                const { target: { index }, version: expectedVersion } = removing;
                setRemoving(null);
                void changed(() => request(REMOVE_SCHEDULE_CLOCK, { flowId: flow.id, index, expectedVersion }), "Clock removed");
              }}>
              {describe(removing.target)}: its runs not yet started are removed. The schedule in code stays available through “Reset to code”.
            </Confirm>
          )}
          {resetting && (
            <Confirm title="Reset to the schedule in code?" confirmLabel="Reset" onCancel={() => setResetting(null)}
              onConfirm={() => {
                const expectedVersion = resetting.version;
                setResetting(null);
                void changed(() => request(RESET_FLOW_SCHEDULE, { flowId: flow.id, expectedVersion }), "Schedule reset to code");
              }}>
              The edits made here are dropped and the newest version’s schedule from code applies again.
            </Confirm>
          )}
        </div>
      )}
    </Loaded>
  );
}

function describe(clock: ScheduleClock): string {
  if (clock.kind === "interval") return `every ${clock.intervalSeconds ?? "?"} s${clock.startDate ? ` from ${formatDateTime(clock.startDate)}` : ""}`;
  if (clock.kind === "cron") return clock.cron ?? "";
  if (clock.kind === "rrule") return (clock.rrule ?? "").replaceAll("\n", " ");
  return "fixed dates";
}

const KINDS: { id: ClockKind; label: string }[] = [{ id: "cron", label: "Cron" }, { id: "interval", label: "Interval" }, { id: "rrule", label: "RRule" }];

function ClockEditor({ flow, schedule, index, onCancel, onSave }: { flow: Flow; schedule: FlowSchedule; index: number | null; onCancel: () => void; onSave: (clock: ReturnType<typeof clockInput>) => Promise<void> }) {
  // Read once: a reload of the schedule (after STALE_VERSION) leaves what was typed alone.
  const [form, setForm] = useState<ClockForm>(() => {
    const clock = index === null ? undefined : schedule.clocks[index];
    return clock ? formOf(clock) : EMPTY_CLOCK;
  });
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ClockForm>) => setForm((current) => ({ ...current, ...patch }));
  const defaults = parseDefaults(form.defaults, schedule.parameterSchema);
  const input = "value" in defaults ? clockInput(form, defaults.value) : null;
  const preview = usePreview(flow.id, input);
  const save = async () => {
    if (!input) return;
    setBusy(true);
    try {
      await onSave(input);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={index !== null ? `Edit clock ${index}` : "Add a clock"} testId="clock-editor">
      <div className="clock-form">
        <form className="form stack" onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
          <div className="segmented" role="group" aria-label="Clock kind" style={{ alignSelf: "flex-start" }}>
            {KINDS.map((kind) => (
              <button key={kind.id} type="button" aria-pressed={form.kind === kind.id} onClick={() => set({ kind: kind.id })} data-testid={`clock-kind-${kind.id}`}>{kind.label}</button>
            ))}
          </div>
          {form.kind === "cron" && (
            <div className="field">
              <label htmlFor="clock-cron">Cron expression <span className="type">5 fields, or 6 with seconds first</span></label>
              <input id="clock-cron" className="input mono" value={form.cron} onChange={(e) => set({ cron: e.target.value })} data-testid="clock-cron" />
            </div>
          )}
          {form.kind === "interval" && (
            <div className="field">
              <label htmlFor="clock-interval">Every <span className="type">seconds</span></label>
              <input id="clock-interval" className="input" inputMode="decimal" value={form.interval} onChange={(e) => set({ interval: e.target.value })} data-testid="clock-interval" />
            </div>
          )}
          {form.kind === "rrule" && (
            <div className="field">
              <label htmlFor="clock-rrule">Rule <span className="type">RFC 5545</span></label>
              <textarea id="clock-rrule" className="textarea" rows={3} value={form.rrule} onChange={(e) => set({ rrule: e.target.value })} data-testid="clock-rrule" />
            </div>
          )}
          <div className="field">
            <label htmlFor="clock-tz">Time zone <span className="type">IANA name</span></label>
            <input id="clock-tz" className="input" value={form.timezone} placeholder="UTC" onChange={(e) => set({ timezone: e.target.value })} data-testid="clock-timezone" />
          </div>
          <div className="row" style={{ flexWrap: "wrap", gap: 14 }}>
            <div className="field">
              <label htmlFor="clock-start">{form.kind === "interval" ? "Anchor / start" : "Start"} <span className="type">UTC, optional</span></label>
              <input id="clock-start" className="input" type="datetime-local" value={form.start} onChange={(e) => set({ start: e.target.value })} data-testid="clock-start" />
            </div>
            <div className="field">
              <label htmlFor="clock-end">End <span className="type">UTC, optional</span></label>
              <input id="clock-end" className="input" type="datetime-local" value={form.end} onChange={(e) => set({ end: e.target.value })} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="clock-labels">Labels <span className="type">comma-separated, optional</span></label>
            <input id="clock-labels" className="input" value={form.labels} onChange={(e) => set({ labels: e.target.value })} />
            <span className="help">Runs of this clock get these labels instead of the flow’s.</span>
          </div>
          <div className="field">
            <label htmlFor="clock-defaults">Parameter defaults <span className="type">JSON object</span></label>
            <textarea id="clock-defaults" className="textarea" rows={3} value={form.defaults} spellCheck={false} aria-invalid={"error" in defaults}
              onChange={(e) => set({ defaults: e.target.value })} data-testid="clock-defaults" />
            <span className="error" role={"error" in defaults ? "alert" : undefined} data-testid="clock-defaults-error">{"error" in defaults ? defaults.error : null}</span>
          </div>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy || !input || Boolean(preview.error)} data-testid="clock-save">{index !== null ? "Save clock" : "Add clock"}</button>
            <button type="button" className="btn" onClick={onCancel}>Cancel</button>
          </div>
        </form>
        <div data-testid="clock-preview">
          <div className="small muted" style={{ fontWeight: 600, marginBottom: 6 }}>Next 10 times</div>
          {preview.error ? (
            <div className="banner error small" role="alert" data-testid="clock-preview-error">{preview.error}</div>
          ) : preview.times.length === 0 ? (
            <div className="small faint">{preview.loading ? "…" : "No upcoming time."}</div>
          ) : (
            <ol className="preview-times">
              {preview.times.map((time) => <li key={time} data-testid="preview-time" data-time={time}>{formatDateTime(time)}</li>)}
            </ol>
          )}
        </div>
      </div>
    </Card>
  );
}

/** The server's preview of an unsaved clock, asked again 300 ms after the form settles. */
function usePreview(flowId: string, clock: ReturnType<typeof clockInput> | null): { times: string[]; error: string | null; loading: boolean } {
  const key = clock ? JSON.stringify(clock) : "";
  const [state, setState] = useState<{ key: string; times: string[]; error: string | null }>({ key: "", times: [], error: null });
  useEffect(() => {
    if (!clock) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request(SCHEDULE_PREVIEW, { clock, flowId }, controller.signal).then(
        (data) => setState({ key, times: data.schedulePreview.times, error: data.schedulePreview.error }),
        (error: unknown) => { if (!controller.signal.aborted) setState({ key, times: [], error: message(error) }); },
      );
    }, 300);
    return () => { clearTimeout(timer); controller.abort(); };
    // The key stands for the clock's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, flowId]);
  if (!clock) return { times: [], error: null, loading: false };
  return { times: state.times, error: state.error, loading: state.key !== key };
}
