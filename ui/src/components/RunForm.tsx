/**
 * The Run form: one typed input per flow parameter, generated from its JSON schema, with
 * defaults filled in and validation messages shown as the user types (after a field is
 * touched) and before anything is sent. The server checks again; its per-parameter
 * messages land under the same fields.
 */
import { useMemo, useState, type FormEvent } from "react";
import { parameterErrors } from "../api/client";
import type { JsonObject, JsonValue } from "../api/types";
import { parseEnvLines } from "../lib/runConfig";
import { collect, fieldsFromSchema, initialRaws, isCheckbox, optionKey, parseField, type Field, type RawValue } from "../lib/schemaForm";
import { IconAlert, IconPlay } from "./icons";

export interface RunRequest {
  parameters: JsonObject;
  name: string | null;
  labels: string[] | null;
  scheduledStartTime: string | null;
  /** Environment variables laid over the flow's run config for this run. */
  env: Record<string, string> | null;
}

export function RunForm({ schema, onSubmit, defaultLabels = [] }: { schema: JsonValue; onSubmit: (request: RunRequest) => Promise<void>; defaultLabels?: string[] }) {
  const fields = useMemo(() => fieldsFromSchema(schema), [schema]);
  const [raws, setRaws] = useState<Record<string, RawValue>>(() => initialRaws(fields));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState("");
  const [labels, setLabels] = useState(defaultLabels.join(", "));
  const [when, setWhen] = useState("");
  const [envText, setEnvText] = useState("");

  const errorOf = (field: Field): string | null => {
    if (!(touched[field.name] || submitted)) return serverErrors[field.name] ?? null;
    const parsed = parseField(field, raws[field.name]);
    return parsed.ok ? (serverErrors[field.name] ?? null) : parsed.error;
  };

  const set = (field: Field, value: RawValue) => {
    setRaws((r) => ({ ...r, [field.name]: value }));
    setServerErrors(({ [field.name]: _dropped, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    const { values, errors } = collect(fields, raws);
    if (Object.keys(errors).length) {
      setFormError(`Fix ${Object.keys(errors).length === 1 ? "the highlighted field" : "the highlighted fields"} first.`);
      return;
    }
    let scheduled: string | null = null;
    if (when) {
      const at = Date.parse(when);
      if (Number.isNaN(at)) {
        setFormError("The start time is not a valid date.");
        return;
      }
      scheduled = new Date(at).toISOString();
    }
    const env = parseEnvLines(envText);
    if (!env.ok) {
      setFormError(`Environment: ${env.error}`);
      return;
    }
    setBusy(true);
    try {
      const labelList = labels.split(",").map((l) => l.trim()).filter(Boolean);
      await onSubmit({ parameters: values, name: name.trim() || null, labels: labelList.length ? labelList : null, scheduledStartTime: scheduled, env: env.env });
    } catch (error) {
      const perField = parameterErrors(error);
      setServerErrors(perField);
      setFormError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="run-form">
      {fields.length === 0 && <p className="muted">This flow takes no parameters.</p>}
      {fields.map((field) => (
        <FieldInput key={field.name} field={field} raw={raws[field.name]} error={errorOf(field)}
          onChange={(value) => set(field, value)} onBlur={() => setTouched((t) => ({ ...t, [field.name]: true }))} />
      ))}
      <details>
        <summary className="muted" style={{ cursor: "pointer" }}>Run options</summary>
        <div className="stack" style={{ marginTop: 12 }}>
          <div className="field">
            <label htmlFor="run-name">Run name <span className="type">optional</span></label>
            <input id="run-name" className="input" value={name} placeholder="generated if empty" onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="run-labels">Labels <span className="type">comma-separated</span></label>
            <input id="run-labels" className="input" value={labels} onChange={(e) => setLabels(e.target.value)} />
            <span className="help">Only agents with these labels pick the run up.</span>
          </div>
          <div className="field">
            <label htmlFor="run-env">Environment <span className="type">NAME=VALUE per line</span></label>
            <textarea id="run-env" className="input mono" rows={3} value={envText} placeholder="STAGE=test" onChange={(e) => setEnvText(e.target.value)} />
            <span className="help">Laid over the flow’s run config for this run. Stored with the run and visible to the team: use secrets for credentials.</span>
          </div>
          <div className="field">
            <label htmlFor="run-when">Start at <span className="type">optional</span></label>
            <input id="run-when" className="input" type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
            <span className="help">Leave empty to start as soon as an agent is free.</span>
          </div>
        </div>
      </details>
      {formError && (
        <div className="banner error" role="alert" data-testid="form-error"><IconAlert size={16} />{formError}</div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="run-submit">
          <IconPlay size={14} /> {busy ? "Starting…" : "Run"}
        </button>
      </div>
    </form>
  );
}

function FieldInput({ field, raw, error, onChange, onBlur }: { field: Field; raw: RawValue; error: string | null; onChange: (value: RawValue) => void; onBlur: () => void }) {
  const id = `param-${field.name}`;
  const help = [field.description, field.hasDefault ? `Default: ${JSON.stringify(field.defaultValue)}` : null].filter(Boolean).join(" · ");
  const describedBy = `${id}-help ${id}-error`;
  const common = { id, name: field.name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy, onBlur, "data-testid": id } as const;
  let control;
  if (isCheckbox(field)) {
    return (
      <div className="field">
        <label className="checkbox" htmlFor={id}>
          <input type="checkbox" {...common} checked={raw === true} onChange={(e) => onChange(e.target.checked)} />
          {field.title} <span className="type">{field.typeLabel}</span>
        </label>
        {help && <span className="help" id={`${id}-help`}>{help}</span>}
      </div>
    );
  }
  if (field.kind === "enum" || field.kind === "boolean") {
    const options = field.kind === "boolean" ? [true, false] : field.options;
    control = (
      <select className="select" {...common} value={String(raw)} onChange={(e) => onChange(e.target.value)}>
        {(!field.required || !field.hasDefault) && <option value="">{field.required ? "Choose…" : "— not set —"}</option>}
        {field.nullable && <option value="null">null</option>}
        {options.map((option) => (
          <option key={optionKey(option)} value={optionKey(option)}>{String(option)}</option>
        ))}
      </select>
    );
  } else if (field.kind === "array" || field.kind === "object" || field.kind === "json") {
    control = (
      <textarea className="textarea" {...common} value={String(raw)} spellCheck={false} rows={field.kind === "object" ? 4 : 2}
        placeholder={field.kind === "array" ? '["a", "b"]' : field.kind === "object" ? '{"key": "value"}' : "any JSON value"} onChange={(e) => onChange(e.target.value)} />
    );
  } else {
    const numeric = field.kind === "integer" || field.kind === "number";
    const type = field.constraints.format === "date" ? "date" : "text";
    control = (
      <input className="input" {...common} type={type} inputMode={field.kind === "integer" ? "numeric" : numeric ? "decimal" : undefined}
        value={String(raw)} placeholder={field.required ? "required" : field.hasDefault ? String(field.defaultValue) : "optional"} onChange={(e) => onChange(e.target.value)} />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.title}
        {field.required && <span className="req" aria-label="required">*</span>}
        <span className="type">{field.typeLabel}</span>
      </label>
      {control}
      {help && <span className="help" id={`${id}-help`}>{help}</span>}
      <span id={`${id}-error`} className="error" role={error ? "alert" : undefined} data-testid={`${id}-error`}>{error ? <><IconAlert size={14} />{error}</> : null}</span>
    </div>
  );
}
