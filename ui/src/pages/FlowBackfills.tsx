/**
 * The flow page's Backfills tab: a dry run of a past range (how many times, which already
 * have a run, the first and last few), creating the backfill with its concurrency limit,
 * and the flow's backfills with their progress.
 */
import { useEffect, useState } from "react";
import { request } from "../api/client";
import { RUN_FEED } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import { BACKFILL_PREVIEW, CREATE_BACKFILL, FLOW_BACKFILLS, type Backfill, type BackfillPreview } from "../api/scheduleDocuments";
import { useCan } from "../api/session";
import type { Flow } from "../api/types";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { toast } from "../components/Feedback";
import { Card } from "../components/Page";
import { Link, navigate } from "../lib/router";
import { formatDateTime, formatRelative } from "../lib/time";
import { backfillUrl } from "../routes";
import "../styles/schedules.css";

function utc(text: string): string | null {
  if (!text) return null;
  const value = new Date(`${text}Z`);
  return Number.isNaN(value.getTime()) ? null : value.toISOString();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function BackfillsTab({ flow }: { flow: Flow }) {
  const can = useCan();
  const list = useQuery(FLOW_BACKFILLS, { flowId: flow.id });
  const refetch = useThrottled(() => void list.refetch(), 1500);
  useEffect(() => subscribe(RUN_FEED, {}, { next: refetch }), [refetch]);
  const now = useNow(10_000);
  return (
    <div className="stack">
      {can.runFlows && <NewBackfill flow={flow} />}
      <Card title="Backfills" flush testId="backfill-list">
        <Loaded query={list}>
          {({ backfills }) => backfills.length === 0 ? (
            <EmptyState title="No backfills yet">A backfill runs the flow for every scheduled time of a past range, a few runs at a time.</EmptyState>
          ) : (
            <table className="table">
              <thead><tr><th>Range</th><th>State</th><th style={{ width: "35%" }}>Progress</th><th>Created</th></tr></thead>
              <tbody>
                {backfills.map((b) => (
                  <tr key={b.id} data-testid="backfill-row">
                    <td><Link to={backfillUrl(b.id)}>{formatDateTime(b.start)} → {formatDateTime(b.end)}</Link></td>
                    <td>{b.state}</td>
                    <td><BackfillProgress backfill={b} /></td>
                    <td title={formatDateTime(b.created)}>{formatRelative(b.created, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </Card>
    </div>
  );
}

const COLOURS: Record<string, string> = {
  Success: "var(--state-success)", Failed: "var(--state-failed)", Cancelled: "var(--state-cancelled)",
  Running: "var(--state-running)", Submitted: "var(--state-submitted)", Scheduled: "var(--state-scheduled)",
  Pending: "var(--state-pending)", Cancelling: "var(--state-cancelling)", Paused: "var(--state-paused)",
};
const ORDER = ["Success", "Failed", "Cancelled", "Cancelling", "Running", "Submitted", "Paused", "Pending", "Scheduled"];

/** A bar of the backfill's runs by state over its total, and "finished/total". */
export function BackfillProgress({ backfill }: { backfill: Backfill }) {
  const total = Math.max(backfill.total, 1);
  const counts = [...backfill.counts].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
  return (
    <div className="stack" style={{ gap: 4 }} data-testid="backfill-progress" data-finished={backfill.finished} data-total={backfill.total}>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={backfill.total} aria-valuenow={backfill.finished} aria-label="Backfill progress">
        {counts.map((c) => <span key={c.state} title={`${c.count} ${c.state}`} style={{ width: `${(100 * c.count) / total}%`, ["--c" as string]: COLOURS[c.state] ?? "var(--text-faint)" }} />)}
      </div>
      <span className="small muted">{backfill.finished} of {backfill.total} finished{backfill.skipped ? ` · ${backfill.skipped} skipped (had a run)` : ""}</span>
    </div>
  );
}

function NewBackfill({ flow }: { flow: Flow }) {
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [limit, setLimit] = useState("5");
  const [preview, setPreview] = useState<BackfillPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [startUtc, endUtc] = [utc(start), utc(end)];
  const range = startUtc && endUtc ? { flowId: flow.id, start: startUtc, end: endUtc } : null;
  const ready = range !== null;
  const maxConcurrent = Number(limit);
  const limitOk = Number.isInteger(maxConcurrent) && maxConcurrent >= 1 && maxConcurrent <= 1000;
  useEffect(() => { setPreview(null); setError(null); }, [start, end]);
  const dryRun = async () => {
    if (!range) return;
    setBusy(true);
    try {
      const data = await request(BACKFILL_PREVIEW, range);
      setPreview(data.backfillPreview);
      setError(null);
    } catch (e) {
      setPreview(null);
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const create = async () => {
    if (!range) return;
    setBusy(true);
    try {
      const data = await request(CREATE_BACKFILL, { ...range, maxConcurrent });
      toast(`Backfill of ${data.createBackfill.total} runs created`);
      navigate(backfillUrl(data.createBackfill.id));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="New backfill" hint="times in UTC; the end is not included" testId="new-backfill">
      <form className="backfill-form" onSubmit={(e) => { e.preventDefault(); void dryRun(); }} noValidate>
        <div className="field">
          <label htmlFor="backfill-start">From</label>
          <input id="backfill-start" className="input" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} data-testid="backfill-start" />
        </div>
        <div className="field">
          <label htmlFor="backfill-end">To</label>
          <input id="backfill-end" className="input" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} data-testid="backfill-end" />
        </div>
        <div className="field">
          <label htmlFor="backfill-limit">At most at once</label>
          <input id="backfill-limit" className="input" style={{ width: 100 }} inputMode="numeric" value={limit} aria-invalid={!limitOk} onChange={(e) => setLimit(e.target.value)} data-testid="backfill-limit" />
        </div>
        <button type="submit" className="btn" disabled={!ready || busy} data-testid="backfill-dry-run">Dry run</button>
      </form>
      {error && <div className="banner error" role="alert" style={{ marginTop: 12, marginBottom: 0 }} data-testid="backfill-error">{error}</div>}
      {preview && (
        <div className="stack" style={{ marginTop: 14, gap: 8 }} data-testid="backfill-preview">
          <div data-testid="backfill-preview-summary">
            <strong>{preview.new}</strong> runs would be created: {preview.times} scheduled times in the range, {preview.existing} already have a run (skipped).
          </div>
          <TimeList label="First" times={preview.first} />
          {preview.last.length > 0 && <TimeList label="Last" times={preview.last} />}
          <div className="row">
            <button type="button" className="btn btn-primary" disabled={busy || preview.new === 0 || !limitOk} onClick={() => void create()} data-testid="backfill-create">
              Create backfill ({preview.new} runs, {limitOk ? maxConcurrent : "?"} at once)
            </button>
          </div>
        </div>
      )}
    </Card>
  );
}

function TimeList({ label, times }: { label: string; times: { start: string; exists: boolean }[] }) {
  return (
    <div className="small">
      <span className="muted" style={{ fontWeight: 600 }}>{label}: </span>
      {times.map((t, i) => (
        <span key={t.start} data-testid="backfill-time" className={t.exists ? "faint" : undefined}>
          {i > 0 && ", "}{formatDateTime(t.start)}{t.exists ? " (has a run)" : ""}
        </span>
      ))}
    </div>
  );
}
