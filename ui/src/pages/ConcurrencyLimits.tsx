/** Concurrency limits: flow runs per label, task runs per tag, with who holds the slots now. */
import { useState, type FormEvent } from "react";
import { CONCURRENCY_LIMITS, DELETE_CONCURRENCY_LIMIT, SET_CONCURRENCY_LIMIT } from "../api/alertingDocuments";
import type { ConcurrencyLimit } from "../api/alertingTypes";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { Confirm, toast } from "../components/Feedback";
import { IconGauge, IconPlus } from "../components/icons";
import { errorText } from "../components/OneTime";
import { Card, PageHead } from "../components/Page";
import { StateDot } from "../components/State";
import { limitProblem } from "../lib/validation";
import { Link } from "../lib/router";
import { flowRunUrl, taskRunUrl } from "../routes";

const KIND_LABELS: Record<string, string> = { flow_label: "Flow runs with label", task_tag: "Task runs with tag" };

export default function ConcurrencyLimits() {
  const can = useCan();
  // Slots are taken and freed by runs: no event announces it, so re-read every 10 s.
  const query = useQuery(CONCURRENCY_LIMITS, {}, { refreshMs: 10_000 });
  const [editing, setEditing] = useState<{ kind: string; key: string; limit: string; isNew: boolean } | null>(null);
  const [deleting, setDeleting] = useState<ConcurrencyLimit | null>(null);

  const remove = async (limit: ConcurrencyLimit) => {
    try {
      await request(DELETE_CONCURRENCY_LIMIT, { kind: limit.kind, key: limit.key });
      toast(`Limit on ${limit.key} removed`);
    } catch (error) {
      toast(errorText(error), true);
    }
    setDeleting(null);
    await query.refetch();
  };

  return (
    <>
      <PageHead title="Concurrency limits" subtitle="At most N flow runs with a label running at once, or N task runs with a tag; the others wait their turn, oldest first."
        actions={can.editConcurrencyLimits && <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: "task_tag", key: "", limit: "1", isNew: true })} data-testid="new-limit"><IconPlus size={15} /> New limit</button>} />
      {editing && (
        <LimitForm key={`${editing.kind}:${editing.key}`} initial={editing} onClose={() => setEditing(null)}
          onSaved={async () => { setEditing(null); await query.refetch(); }} />
      )}
      <Loaded query={query}>
        {({ concurrencyLimits }) => (
          <Card flush>
            {concurrencyLimits.length === 0 ? (
              <EmptyState icon={<IconGauge />} title="No limits" commands={["proctor limits set db 2"]}>
                Without limits, every run and task starts as soon as it can. Limit a shared resource (a database, GPUs) by the tag its tasks carry
                {can.editConcurrencyLimits ? ": “New limit” above, or from a shell:" : "; owners and admins set limits."}
              </EmptyState>
            ) : (
              <table className="table" data-testid="limits-table">
                <thead><tr><th>Applies to</th><th>Key</th><th>In use</th><th>Held by</th>{can.editConcurrencyLimits && <th />}</tr></thead>
                <tbody>
                  {concurrencyLimits.map((l) => (
                    <tr key={l.id} data-testid={`limit-${l.key}`}>
                      <td className="small muted">{KIND_LABELS[l.kind] ?? l.kind}</td>
                      <td className="mono" style={{ fontWeight: 600 }}>{l.key}</td>
                      <td>
                        <div className="usage" title={`${l.inUse} of ${l.limit} slots in use`}>
                          <div className="usage-bar"><span style={{ width: `${l.limit ? Math.min(100, (100 * l.inUse) / l.limit) : 100}%` }} className={l.inUse >= l.limit ? "full" : undefined} /></div>
                          <span className="num small" data-testid="usage">{l.inUse} / {l.limit}</span>
                        </div>
                      </td>
                      <td className="small">
                        {l.holders.length === 0 ? <span className="faint">free</span> : (
                          <div className="row">
                            {l.holders.slice(0, 6).map((h) => (
                              <Link key={`${h.flowRunId}:${h.taskRunId ?? ""}`} className="tag" to={h.taskSlug ? taskRunUrl(h.flowRunId, h.taskSlug, h.mapIndex ?? -1) : flowRunUrl(h.flowRunId)}>
                                <StateDot state={h.state} still />&nbsp;{h.flowRunName}{h.taskSlug ? ` / ${h.taskSlug}${h.mapIndex != null && h.mapIndex >= 0 ? `[${h.mapIndex}]` : ""}` : ""}
                              </Link>
                            ))}
                            {l.holders.length > 6 && <span className="faint">+{l.holders.length - 6}</span>}
                          </div>
                        )}
                      </td>
                      {can.editConcurrencyLimits && (
                        <td className="num nowrap">
                          <button type="button" className="btn btn-sm" onClick={() => setEditing({ kind: l.kind, key: l.key, limit: String(l.limit), isNew: false })}>Change</button>{" "}
                          <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(l)}>Delete</button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        )}
      </Loaded>
      {deleting && (
        <Confirm title={`Remove the limit on ${deleting.key}?`} confirmLabel="Remove" danger onCancel={() => setDeleting(null)} onConfirm={() => void remove(deleting)}>
          Everything waiting for one of its slots may start at once.
        </Confirm>
      )}
    </>
  );
}

function LimitForm({ initial, onClose, onSaved }: { initial: { kind: string; key: string; limit: string; isNew: boolean }; onClose: () => void; onSaved: () => Promise<void> }) {
  const [kind, setKind] = useState(initial.kind);
  const [key, setKey] = useState(initial.key);
  const [limit, setLimit] = useState(initial.limit);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!key.trim()) return setError(kind === "flow_label" ? "Enter the label." : "Enter the tag.");
    const problem = limitProblem(limit);
    if (problem) return setError(problem);
    setError(null);
    try {
      await request(SET_CONCURRENCY_LIMIT, { kind, key: key.trim(), limit: Number(limit) });
      toast(`At most ${limit} for ${key.trim()}`);
      await onSaved();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <Card title={initial.isNew ? "New limit" : `Change the limit on ${initial.key}`} testId="limit-form">
      <form className="row" onSubmit={(e) => void submit(e)} noValidate>
        <select className="select" aria-label="Limit applies to" value={kind} disabled={!initial.isNew} onChange={(e) => setKind(e.target.value)}>
          <option value="task_tag">Task runs with tag</option>
          <option value="flow_label">Flow runs with label</option>
        </select>
        <input className="input mono" style={{ width: 200 }} placeholder={kind === "flow_label" ? "label" : "tag"} aria-label="Tag or label" value={key} readOnly={!initial.isNew} onChange={(e) => setKey(e.target.value)} />
        <label className="row small muted">at most
          <input className="input" style={{ width: 80 }} inputMode="numeric" aria-label="Limit" value={limit} onChange={(e) => setLimit(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary">Save</button>
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
        {error && <span className="danger-text small" role="alert" data-testid="limit-error">{error}</span>}
      </form>
    </Card>
  );
}
