/** A flow's service levels on its page: late start, long run, missed run (admins edit). */
import { useState, type FormEvent } from "react";
import { FLOW_SLA, SET_FLOW_SLA } from "../api/alertingDocuments";
import type { FlowSla } from "../api/alertingTypes";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import type { Flow } from "../api/types";
import { durationProblem, formatSeconds, parseDuration } from "../lib/validation";
import { Link } from "../lib/router";
import { ROUTES } from "../routes";
import { ErrorMessage } from "./ErrorView";
import { toast } from "./Feedback";
import { errorText } from "./OneTime";
import { Card } from "./Page";

const FIELDS = [
  ["lateStartSeconds", "Late start", "not Running this long after its scheduled time"],
  ["longRunSeconds", "Long run", "Running longer than this"],
  ["missedRunSeconds", "Missed run", "a scheduled time with no run started within this"],
] as const;
type Key = (typeof FIELDS)[number][0];

export function SlaCard({ flow }: { flow: Flow }) {
  const can = useCan();
  const query = useQuery(FLOW_SLA, { flowId: flow.flowGroupId });
  const [editing, setEditing] = useState(false);
  const sla = query.data?.flowSla;
  const any = sla && FIELDS.some(([key]) => sla[key] != null);
  return (
    <Card title="Service levels" testId="sla-card"
      actions={can.editAlerts && sla && !editing && <button type="button" className="btn btn-sm" onClick={() => setEditing(true)} data-testid="edit-sla">{any ? "Change" : "Set SLA"}</button>}>
      {query.error && !sla ? <ErrorMessage error={query.error} onRetry={() => void query.refetch()} /> : !sla ? <div className="skeleton" style={{ height: 60 }} /> : editing ? (
        <SlaForm flow={flow} sla={sla} onDone={async () => { setEditing(false); await query.refetch(); }} onCancel={() => setEditing(false)} />
      ) : any ? (
        <dl className="kv">
          {FIELDS.map(([key, label, help]) => (
            <FragmentRow key={key} label={label} help={help} value={sla[key]} />
          ))}
        </dl>
      ) : (
        <p className="muted small" style={{ margin: 0 }}>
          No SLA. {can.editAlerts ? "Set one to be told when a run starts late, runs too long or a scheduled run never happens" : "Owners and admins can set one"}; breaches show on the dashboard and can trigger <Link to={ROUTES.automations}>automations</Link>.
        </p>
      )}
    </Card>
  );
}

function FragmentRow({ label, help, value }: { label: string; help: string; value: number | null }) {
  return (
    <>
      <dt title={help}>{label}</dt>
      <dd data-testid={`sla-${label.toLowerCase().replace(" ", "-")}`}>{value == null ? <span className="faint">off</span> : formatSeconds(value)}</dd>
    </>
  );
}

function SlaForm({ flow, sla, onDone, onCancel }: { flow: Flow; sla: FlowSla; onDone: () => Promise<void>; onCancel: () => void }) {
  const [values, setValues] = useState<Record<Key, string>>({
    lateStartSeconds: formatSeconds(sla.lateStartSeconds),
    longRunSeconds: formatSeconds(sla.longRunSeconds),
    missedRunSeconds: formatSeconds(sla.missedRunSeconds),
  });
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problems = Object.fromEntries(FIELDS.map(([key]) => [key, touched ? durationProblem(values[key]) : null])) as Record<Key, string | null>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (FIELDS.some(([key]) => durationProblem(values[key]))) return;
    try {
      await request(SET_FLOW_SLA, {
        flowId: flow.flowGroupId,
        lateStartSeconds: parseDuration(values.lateStartSeconds),
        longRunSeconds: parseDuration(values.longRunSeconds),
        missedRunSeconds: parseDuration(values.missedRunSeconds),
      });
      toast("Service levels saved");
      await onDone();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="sla-form">
      {FIELDS.map(([key, label, help]) => (
        <div className="field" key={key}>
          <label htmlFor={`sla-${key}`}>{label} <span className="type">{help}</span></label>
          <input id={`sla-${key}`} className="input" placeholder="off (e.g. 10m, 1h30m)" value={values[key]} aria-invalid={problems[key] ? true : undefined}
            onChange={(e) => setValues({ ...values, [key]: e.target.value })} />
          {problems[key] && <div className="error" role="alert">{problems[key]}</div>}
        </div>
      ))}
      {error && <div className="banner error" role="alert">{error}</div>}
      <div className="row">
        <button type="submit" className="btn btn-primary btn-sm">Save</button>
        <button type="button" className="btn btn-sm" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
