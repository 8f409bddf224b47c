/** `/automations/new` and `/automations/ID`: the automation form (trigger, actions, templates). */
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { AUTOMATION, AUTOMATION_CHOICES, CREATE_AUTOMATION, UPDATE_AUTOMATION } from "../api/alertingDocuments";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import { ErrorMessage } from "../components/ErrorView";
import { toast } from "../components/Feedback";
import { IconPlus, IconTrash } from "../components/icons";
import { errorText, OneTimeValue } from "../components/OneTime";
import { Card, PageHead } from "../components/Page";
import {
  ACTION_LABELS, ACTION_TYPES, emptyAction, emptyAutomation, fromAutomation, MESSAGE_ACTIONS, PLACEHOLDERS, SLA_KIND_LABELS, SLA_KINDS,
  toAutomationInput, TRIGGER_LABELS, TRIGGER_TYPES, validateAutomation, type ActionForm, type ActionType, type AutomationForm, type FormErrors, type TriggerType,
} from "../lib/automationForm";
import { navigate } from "../lib/router";
import { FAMILIES, STATE_NAMES } from "../lib/states";

export default function AutomationEdit({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const query = useQuery(AUTOMATION, { id }, { skip: !id });
  if (!id) return <Editor initial={emptyAutomation()} />;
  if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <div className="skeleton" style={{ height: 320 }} />;
  return <Editor id={id} initial={fromAutomation(query.data.automation)} />;
}

function Field({ label, error, help, children, htmlFor }: { label: ReactNode; error?: string; help?: ReactNode; children: ReactNode; htmlFor?: string }) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {help && <div className="help">{help}</div>}
      {error && <div className="error" role="alert">{error}</div>}
    </div>
  );
}

function Editor({ id, initial }: { id?: string; initial: AutomationForm }) {
  const can = useCan();
  const choices = useQuery(AUTOMATION_CHOICES);
  const [form, setForm] = useState<AutomationForm>(initial);
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const errors: FormErrors = touched ? validateAutomation(form) : {};
  const flows = useMemo(() => {
    const seen = new Map<string, { id: string; label: string }>();
    for (const f of choices.data?.flows.nodes ?? []) if (!seen.has(f.flowGroupId)) seen.set(f.flowGroupId, { id: f.flowGroupId, label: `${f.projectName} / ${f.name}` });
    return [...seen.values()].sort((a, b) => a.label.localeCompare(b.label));
  }, [choices.data]);

  const patch = (changes: Partial<AutomationForm>) => setForm((f) => ({ ...f, ...changes }));
  const patchAction = (index: number, changes: Partial<ActionForm>) =>
    setForm((f) => ({ ...f, actions: f.actions.map((a, i) => (i === index ? { ...a, ...changes } : a)) }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(validateAutomation(form)).length) return;
    setBusy(true);
    setServerError(null);
    try {
      const input = toAutomationInput(form);
      const hasWebhook = form.actions.some((a) => a.type === "webhook");
      if (id) {
        await request(UPDATE_AUTOMATION, { id, input });
        toast(`Automation ${form.name.trim()} saved`);
        navigate("/automations");
      } else {
        const { createAutomation } = await request(CREATE_AUTOMATION, { input });
        toast(`Automation ${form.name.trim()} created`);
        if (hasWebhook && createAutomation.signingSecret) setSecret(createAutomation.signingSecret);
        else navigate("/automations");
      }
    } catch (failure) {
      setServerError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const title = id ? `Edit ${initial.name}` : "New automation";
  const runTrigger = form.triggerType !== "agent_unhealthy";
  return (
    <>
      <PageHead crumbs={[{ label: "Automations", to: "/automations" }]} title={title}
        subtitle="When something happens, do something: notify a webhook, Slack or email, or act on runs and schedules." />
      {secret ? (
        <Card title="Webhook signing secret">
          <OneTimeValue label="Signing secret" value={secret}
            hint="Every webhook carries X-Proctor-Signature: sha256=HMAC-SHA256 of the body with this secret. Keep it to verify deliveries."
            onDone={() => navigate("/automations")} />
        </Card>
      ) : (
        <form className="stack" onSubmit={(e) => void save(e)} noValidate data-testid="automation-form">
          {!can.editAlerts && <div className="banner warn">You can look but not change: automations are managed by owners and admins.</div>}
          {serverError && <div className="banner error" role="alert" data-testid="automation-error">{serverError}</div>}
          <fieldset className="plain" disabled={!can.editAlerts}>
            <div className="stack">
              <Card title="Automation">
                <div className="form">
                  <Field label="Name" error={errors.name} htmlFor="a-name">
                    <input id="a-name" className="input" value={form.name} aria-invalid={errors.name ? true : undefined} onChange={(e) => patch({ name: e.target.value })} />
                  </Field>
                  <Field label={<>Description <span className="type">optional</span></>} htmlFor="a-desc">
                    <input id="a-desc" className="input" value={form.description} onChange={(e) => patch({ description: e.target.value })} />
                  </Field>
                  <label className="checkbox"><input type="checkbox" checked={form.enabled} onChange={(e) => patch({ enabled: e.target.checked })} /> Enabled</label>
                </div>
              </Card>
              <Card title="Trigger">
                <div className="form">
                  <Field label="When" htmlFor="a-trigger">
                    <select id="a-trigger" className="select" value={form.triggerType} onChange={(e) => patch({ triggerType: e.target.value as TriggerType })}>
                      {TRIGGER_TYPES.map((t) => <option key={t} value={t}>{TRIGGER_LABELS[t]}</option>)}
                    </select>
                  </Field>
                  {form.triggerType === "flow_run_state" && (
                    <Field label="States" error={errors["trigger.states"]} help="A family (e.g. Failed) covers its states (TimedOut, TriggerFailed).">
                      <ChipPicker options={[...FAMILIES, ...STATE_NAMES.filter((s) => !(FAMILIES as readonly string[]).includes(s))]} value={form.states} onChange={(states) => patch({ states })} label="state" />
                    </Field>
                  )}
                  {form.triggerType === "sla_breach" && (
                    <Field label="Kinds" help="None picked: every kind.">
                      <ChipPicker options={[...SLA_KINDS]} labels={SLA_KIND_LABELS} value={form.kinds} onChange={(kinds) => patch({ kinds })} label="kind" />
                    </Field>
                  )}
                  {form.triggerType === "agent_unhealthy" && (
                    <Field label={<>Agents <span className="type">comma-separated; empty: any</span></>} htmlFor="a-agents">
                      <input id="a-agents" className="input" list="a-agent-names" value={form.agentNames} onChange={(e) => patch({ agentNames: e.target.value })} />
                      <datalist id="a-agent-names">{choices.data?.agents.map((a) => <option key={a.id} value={a.name} />)}</datalist>
                    </Field>
                  )}
                  {form.triggerType === "task_run_failures" && (
                    <>
                      <Field label="Failures in a row" error={errors["trigger.count"]} htmlFor="a-count">
                        <input id="a-count" className="input" inputMode="numeric" value={form.count} aria-invalid={errors["trigger.count"] ? true : undefined} onChange={(e) => patch({ count: e.target.value })} />
                      </Field>
                      <Field label={<>Tasks <span className="type">slugs, comma-separated; empty: any</span></>} htmlFor="a-tasks">
                        <input id="a-tasks" className="input" value={form.taskSlugs} onChange={(e) => patch({ taskSlugs: e.target.value })} />
                      </Field>
                    </>
                  )}
                  {runTrigger && (
                    <div className="grid grid-3">
                      <Field label={<>Project <span className="type">optional</span></>} htmlFor="a-project">
                        <select id="a-project" className="select" value={form.projectId} onChange={(e) => patch({ projectId: e.target.value })}>
                          <option value="">Any project</option>
                          {choices.data?.projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                        </select>
                      </Field>
                      <Field label={<>Flows <span className="type">optional</span></>} htmlFor="a-flows">
                        <select id="a-flows" className="select multi" multiple value={form.flowGroupIds} onChange={(e) => patch({ flowGroupIds: [...e.target.selectedOptions].map((o) => o.value) })}>
                          {flows.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
                        </select>
                      </Field>
                      <Field label={<>Labels <span className="type">any of, comma-separated</span></>} htmlFor="a-tags">
                        <input id="a-tags" className="input" value={form.tags} onChange={(e) => patch({ tags: e.target.value })} placeholder="nightly, gpu" />
                      </Field>
                    </div>
                  )}
                </div>
              </Card>
              <Card title="Actions" hint="each one is delivered (and retried) on its own">
                <div className="stack">
                  {errors.actions && <div className="banner error" role="alert">{errors.actions}</div>}
                  {form.actions.map((action, i) => (
                    <ActionEditor key={i} index={i} action={action} errors={errors} flows={flows} runTrigger={runTrigger}
                      onChange={(changes) => patchAction(i, changes)}
                      onRemove={() => setForm((f) => ({ ...f, actions: f.actions.filter((_, j) => j !== i) }))} />
                  ))}
                  <div>
                    <button type="button" className="btn" onClick={() => setForm((f) => ({ ...f, actions: [...f.actions, emptyAction()] }))} data-testid="add-action">
                      <IconPlus size={15} /> Add an action
                    </button>
                  </div>
                </div>
              </Card>
            </div>
          </fieldset>
          {can.editAlerts && (
            <div className="row">
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="save-automation">{id ? "Save" : "Create automation"}</button>
              <button type="button" className="btn" onClick={() => navigate("/automations")}>Cancel</button>
              {touched && Object.keys(errors).length > 0 && <span className="danger-text small">Fix the fields marked above.</span>}
            </div>
          )}
        </form>
      )}
    </>
  );
}

function ChipPicker({ options, value, onChange, labels, label }: { options: string[]; value: string[]; onChange: (v: string[]) => void; labels?: Record<string, string>; label: string }) {
  const toggle = (option: string) => onChange(value.includes(option) ? value.filter((v) => v !== option) : [...value, option]);
  return (
    <div className="chips" role="group" aria-label={`Pick ${label}s`}>
      {options.map((option) => (
        <button key={option} type="button" className="chip" aria-pressed={value.includes(option)} onClick={() => toggle(option)}>
          {labels?.[option] ?? option}
        </button>
      ))}
    </div>
  );
}

function ActionEditor({ index, action, errors, flows, runTrigger, onChange, onRemove }: {
  index: number; action: ActionForm; errors: FormErrors; flows: { id: string; label: string }[]; runTrigger: boolean;
  onChange: (changes: Partial<ActionForm>) => void; onRemove: () => void;
}) {
  const at = `actions.${index}`;
  const id = (name: string) => `a${index}-${name}`;
  return (
    <div className="action-box" data-testid={`action-${index}`}>
      <div className="row">
        <select className="select" aria-label={`Action ${index + 1} type`} value={action.type} onChange={(e) => onChange({ type: e.target.value as ActionType })}>
          {ACTION_TYPES.map((t) => <option key={t} value={t}>{ACTION_LABELS[t]}</option>)}
        </select>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-ghost btn-danger" onClick={onRemove} aria-label={`Remove action ${index + 1}`}><IconTrash size={15} /></button>
      </div>
      {errors[`${at}.type`] && <div className="field"><div className="error" role="alert">{errors[`${at}.type`]}</div></div>}
      <div className="form" style={{ marginTop: 12 }}>
        {(action.type === "webhook" || action.type === "slack") && (
          <Field label={action.type === "slack" ? "Incoming-webhook URL" : "URL"} error={errors[`${at}.url`]} htmlFor={id("url")}>
            <input id={id("url")} className="input wide" value={action.url} placeholder={action.type === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/proctor"}
              aria-invalid={errors[`${at}.url`] ? true : undefined} onChange={(e) => onChange({ url: e.target.value })} />
          </Field>
        )}
        {action.type === "webhook" && (
          <Field label={<>Headers <span className="type">optional</span></>} error={errors[`${at}.headers`]}>
            {action.headers.map((header, h) => (
              <div key={h}>
                <div className="row">
                  <input className="input" placeholder="X-Team" aria-label={`Header ${h + 1} name`} value={header.name}
                    onChange={(e) => onChange({ headers: action.headers.map((x, j) => (j === h ? { ...x, name: e.target.value } : x)) })} />
                  <input className="input" style={{ width: 280 }} placeholder="value" aria-label={`Header ${h + 1} value`} value={header.value}
                    onChange={(e) => onChange({ headers: action.headers.map((x, j) => (j === h ? { ...x, value: e.target.value } : x)) })} />
                  <button type="button" className="btn btn-sm btn-ghost" aria-label={`Remove header ${h + 1}`} onClick={() => onChange({ headers: action.headers.filter((_, j) => j !== h) })}>✕</button>
                </div>
                {errors[`${at}.headers.${h}`] && <div className="error" role="alert">{errors[`${at}.headers.${h}`]}</div>}
              </div>
            ))}
            <div><button type="button" className="btn btn-sm" onClick={() => onChange({ headers: [...action.headers, { name: "", value: "" }] })}>Add a header</button></div>
          </Field>
        )}
        {action.type === "email" && (
          <>
            <Field label={<>To <span className="type">comma-separated</span></>} error={errors[`${at}.to`]} htmlFor={id("to")} help="Sent through the server's SMTP settings (PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_*).">
              <input id={id("to")} className="input wide" value={action.to} aria-invalid={errors[`${at}.to`] ? true : undefined} onChange={(e) => onChange({ to: e.target.value })} />
            </Field>
            <Field label={<>Subject <span className="type">template; default [Proctor] {"{title}"}</span></>} error={errors[`${at}.subject`]} htmlFor={id("subject")}>
              <input id={id("subject")} className="input wide" value={action.subject} onChange={(e) => onChange({ subject: e.target.value })} />
            </Field>
          </>
        )}
        {MESSAGE_ACTIONS.has(action.type) && (
          <Field label={<>Message <span className="type">template; default: title, message, link</span></>} error={errors[`${at}.message`]} htmlFor={id("message")}
            help={<>Placeholders: {PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}. Literal braces: {"{{ }}"}.</>}>
            <textarea id={id("message")} className="textarea" rows={3} value={action.message} placeholder={"{title}\n{message}\n{link}"}
              aria-invalid={errors[`${at}.message`] ? true : undefined} onChange={(e) => onChange({ message: e.target.value })} />
          </Field>
        )}
        {(action.type === "start_flow_run" || action.type === "pause_schedule") && (
          <Field label={action.type === "start_flow_run" ? "Flow to start" : "Flow whose schedule to pause"} error={errors[`${at}.flowGroupId`]} htmlFor={id("flow")}>
            <select id={id("flow")} className="select" value={action.flowGroupId} onChange={(e) => onChange({ flowGroupId: e.target.value })}>
              <option value="">{action.type === "pause_schedule" && runTrigger ? "The flow of the trigger's run" : "Pick a flow…"}</option>
              {flows.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
            </select>
          </Field>
        )}
        {action.type === "start_flow_run" && (
          <Field label={<>Parameters <span className="type">JSON object</span></>} error={errors[`${at}.parameters`]} htmlFor={id("params")}>
            <textarea id={id("params")} className="textarea" rows={3} value={action.parameters} onChange={(e) => onChange({ parameters: e.target.value })} />
          </Field>
        )}
        {action.type === "cancel_flow_run" && <p className="muted small">Cancels the run the trigger is about (a finished run is left alone; the delivery log says so).</p>}
      </div>
    </div>
  );
}
