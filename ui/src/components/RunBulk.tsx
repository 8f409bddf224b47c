/** Bulk actions on the selected runs: a confirmation naming the count, then a result per run. */
import { useState } from "react";
import { request } from "../api/client";
import { CANCEL_FLOW_RUNS, DELETE_FLOW_RUNS, RESTART_FLOW_RUNS, type BulkRunResult } from "../api/runsDocuments";
import { Link } from "../lib/router";
import { flowRunUrl } from "../routes";
import { Confirm, toast } from "./Feedback";

type Action = "cancel" | "restart" | "delete";

type Send = (ids: string[]) => Promise<BulkRunResult[]>;

const ACTIONS: Record<Action, { label: string; send: Send; done: string; explain: string }> = {
  cancel: { label: "Cancel", send: async (ids) => (await request(CANCEL_FLOW_RUNS, { ids })).cancelFlowRuns, done: "cancelled", explain: "Runs that have not started are cancelled at once; running ones are asked to stop." },
  restart: { label: "Restart", send: async (ids) => (await request(RESTART_FLOW_RUNS, { ids })).restartFlowRuns, done: "restarted", explain: "Finished runs run again: failed and cancelled task runs and what follows them." },
  delete: { label: "Delete", send: async (ids) => (await request(DELETE_FLOW_RUNS, { ids })).deleteFlowRuns, done: "deleted", explain: "The runs go with their task runs, states and logs. This cannot be undone." },
};

const plural = (n: number) => `${n.toLocaleString()} run${n === 1 ? "" : "s"}`;

export function BulkBar({ selected, names, onDone, onClear }: { selected: string[]; names: Map<string, string>; onDone: () => void; onClear: () => void }) {
  const [asking, setAsking] = useState<Action | null>(null);
  const [results, setResults] = useState<{ action: Action; items: BulkRunResult[] } | null>(null);

  const run = async (action: Action) => {
    try {
      setResults({ action, items: await ACTIONS[action].send(selected) });
      onDone();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    } finally {
      setAsking(null);
    }
  };

  return (
    <>
      {selected.length > 0 && (
        <div className="bulk-bar" data-testid="bulk-bar">
          <strong data-testid="selected-count">{plural(selected.length)} selected</strong>
          {(Object.keys(ACTIONS) as Action[]).map((action) => (
            <button key={action} type="button" className={`btn btn-sm${action === "delete" ? " btn-danger" : ""}`} onClick={() => setAsking(action)} data-testid={`bulk-${action}`}>
              {ACTIONS[action].label}
            </button>
          ))}
          <span className="spacer" />
          <button type="button" className="btn btn-sm" onClick={onClear}>Clear selection</button>
        </div>
      )}
      {asking && (
        <Confirm title={`${ACTIONS[asking].label} ${plural(selected.length)}?`} confirmLabel={`${ACTIONS[asking].label} ${plural(selected.length)}`}
          danger={asking !== "restart"} onConfirm={() => void run(asking)} onCancel={() => setAsking(null)}>
          {ACTIONS[asking].explain}
        </Confirm>
      )}
      {results && <BulkResults action={results.action} items={results.items} names={names} onClose={() => setResults(null)} />}
    </>
  );
}

function BulkResults({ action, items, names, onClose }: { action: Action; items: BulkRunResult[]; names: Map<string, string>; onClose: () => void }) {
  const ok = items.filter((r) => r.ok).length;
  return (
    <div className="card" role="region" aria-label="Bulk action results" data-testid="bulk-results" style={{ marginBottom: 12 }}>
      <div className="card-head">
        <h2>{`${plural(ok)} ${ACTIONS[action].done}${ok < items.length ? `, ${plural(items.length - ok)} not` : ""}`}</h2>
        <span className="spacer" />
        <button type="button" className="btn btn-sm" onClick={onClose}>Close</button>
      </div>
      <div className="card-body">
        <ul className="bulk-results">
          {items.map((r) => (
            <li key={r.flowRunId} data-testid="bulk-result" data-ok={r.ok}>
              <span className={r.ok ? "ok" : "error"}>{r.ok ? "ok" : r.code ?? "error"}</span>
              {action === "delete" && r.ok ? <span className="mono">{names.get(r.flowRunId) ?? r.flowRunId}</span>
                : <Link to={flowRunUrl(r.flowRunId)} className="mono">{names.get(r.flowRunId) ?? r.flowRunId}</Link>}
              <span className="muted">{r.ok ? (r.state ? `now ${r.state}` : "") : r.message}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
