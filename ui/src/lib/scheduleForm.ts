/**
 * The schedule editor's form: its fields, the clock input it sends, and the check of a
 * clock's parameter defaults (JSON) against the flow's parameters before anything is sent.
 */
import type { ClockInput, ScheduleClock } from "../api/scheduleDocuments";
import type { JsonObject, JsonValue } from "../api/types";
import { fieldsFromSchema, type Field } from "./schemaForm";

export type ClockKind = "interval" | "cron" | "rrule";

export interface ClockForm {
  kind: ClockKind;
  interval: string; // seconds
  cron: string;
  rrule: string;
  timezone: string;
  start: string; // datetime-local text, read in UTC
  end: string;
  defaults: string; // JSON object text
  labels: string; // comma-separated
  dayOr: boolean; // cron: day-of-month OR day-of-week (kept as the clock had it)
}

export const EMPTY_CLOCK: ClockForm = { kind: "cron", interval: "3600", cron: "0 9 * * *", rrule: "FREQ=DAILY", timezone: "UTC", start: "", end: "", defaults: "{}", labels: "", dayOr: true };

/** "2026-01-01T09:00" (datetime-local, read as UTC) -> ISO; "" -> null. */
function utc(text: string): string | null {
  if (!text.trim()) return null;
  const value = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(value.getTime()) ? null : value.toISOString();
}

function local(iso: string | null): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : "";
}

/** The form of a saved clock (to edit it). */
export function formOf(clock: ScheduleClock): ClockForm {
  const kind: ClockKind = clock.kind === "interval" || clock.kind === "rrule" ? clock.kind : "cron";
  return {
    kind,
    interval: clock.intervalSeconds != null ? String(clock.intervalSeconds) : EMPTY_CLOCK.interval,
    cron: clock.cron ?? EMPTY_CLOCK.cron,
    rrule: clock.rrule ?? EMPTY_CLOCK.rrule,
    timezone: clock.timezone ?? "UTC",
    start: local(clock.startDate),
    end: local(clock.endDate),
    defaults: JSON.stringify(clock.parameterDefaults ?? {}),
    labels: clock.labels.join(", "),
    dayOr: clock.dayOr ?? true,
  };
}

function kindMatches(field: Field, value: JsonValue): boolean {
  if (value === null) return field.nullable;
  switch (field.kind) {
    case "boolean": return typeof value === "boolean";
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "number": return typeof value === "number";
    case "string": return typeof value === "string";
    case "enum": return field.options.some((option) => JSON.stringify(option) === JSON.stringify(value));
    case "array": return Array.isArray(value);
    case "object": return typeof value === "object" && !Array.isArray(value);
    default: return true;
  }
}

/** The parameter defaults text parsed and checked against the flow's parameter schema. */
export function parseDefaults(text: string, schema: JsonObject): { value: JsonObject } | { error: string } {
  let parsed: unknown;
  try {
    parsed = text.trim() ? JSON.parse(text) : {};
  } catch {
    return { error: "Parameter defaults must be JSON, e.g. {\"n\": 3}." };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { error: "Parameter defaults must be a JSON object of parameter names to values." };
  const fields = new Map(fieldsFromSchema(schema).map((field) => [field.name, field]));
  for (const [name, value] of Object.entries(parsed as JsonObject)) {
    const field = fields.get(name);
    if (!field) return { error: `Unknown parameter "${name}" (known: ${[...fields.keys()].join(", ") || "none"}).` };
    if (!kindMatches(field, value)) return { error: `Parameter "${name}" must be ${field.typeLabel}.` };
  }
  for (const field of fields.values()) {
    if (field.required && !field.hasDefault && !(field.name in (parsed as JsonObject))) return { error: `Parameter "${field.name}" is required: give it a default here.` };
  }
  return { value: parsed as JsonObject };
}

/** What the API takes for the form (parameter defaults already checked). */
export function clockInput(form: ClockForm, defaults: JsonObject): ClockInput {
  const interval = Number(form.interval);
  return {
    kind: form.kind,
    intervalSeconds: form.kind === "interval" && Number.isFinite(interval) ? interval : null,
    cron: form.kind === "cron" ? form.cron : null,
    dayOr: form.dayOr,
    rrule: form.kind === "rrule" ? form.rrule : null,
    timezone: form.timezone.trim() || "UTC",
    startDate: utc(form.start),
    endDate: utc(form.end),
    parameterDefaults: defaults,
    labels: form.labels.split(",").map((label) => label.trim()).filter(Boolean),
  };
}
