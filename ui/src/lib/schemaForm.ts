/**
 * The Run form's logic: a flow's parameter JSON schema -> typed fields, the text a user
 * types -> JSON values, and validation messages before anything is sent.
 *
 * The schema is what `flow.serialize()` produced: an object whose `properties` are the
 * parameters (plain types, or pydantic-generated schemas: enums, Optional[...] as
 * `anyOf` with null, models with `$ref`), `required` and `default`s. Anything this form
 * cannot render as a typed input becomes a JSON editor, still checked for its top-level
 * type, and the server validates the full schema again on submit.
 */
import type { JsonObject, JsonValue } from "../api/types";

export type FieldKind = "boolean" | "integer" | "number" | "string" | "enum" | "array" | "object" | "json";

export interface Constraints {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  format?: string;
}

export interface Field {
  name: string;
  title: string;
  description: string | null;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  hasDefault: boolean;
  defaultValue: JsonValue | undefined;
  options: JsonValue[];
  itemKind: "integer" | "number" | "string" | "boolean" | null;
  constraints: Constraints;
  /** "integer", "list of strings", "JSON"... for the hint under the input. */
  typeLabel: string;
}

/** What the form holds per field: text for inputs, a boolean for a checkbox. */
export type RawValue = string | boolean;

type Schema = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const PRIMITIVES = new Set(["integer", "number", "string", "boolean"]);

/** Unwrap Optional[X] (anyOf/oneOf with a null branch, or type: [X, "null"]). */
function unwrapNullable(schema: Schema): { schema: Schema; nullable: boolean } {
  for (const key of ["anyOf", "oneOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const nonNull = branches.filter((b) => !(isObject(b) && b.type === "null"));
      if (nonNull.length === 1 && branches.length === 2 && isObject(nonNull[0])) {
        const { [key]: _ignored, ...rest } = schema;
        return { schema: { ...rest, ...nonNull[0] }, nullable: true };
      }
    }
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== "null");
    if (types.length === 1) return { schema: { ...schema, type: types[0] }, nullable: schema.type.includes("null") };
  }
  return { schema, nullable: false };
}

function enumOptions(schema: Schema): JsonValue[] | null {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ("const" in schema) return [schema.const];
  for (const key of ["anyOf", "oneOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length && branches.every((b) => isObject(b) && "const" in b)) {
      return branches.map((b) => (b as JsonObject).const);
    }
  }
  return null;
}

function numberOf(schema: Schema, key: string): number | undefined {
  const v = schema[key];
  return typeof v === "number" ? v : undefined;
}

function constraintsOf(schema: Schema): Constraints {
  const c: Constraints = {};
  for (const key of [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
  ] as const) {
    const v = numberOf(schema, key);
    if (v !== undefined) c[key] = v;
  }
  if (typeof schema.pattern === "string") c.pattern = schema.pattern;
  if (typeof schema.format === "string") c.format = schema.format;
  return c;
}

const KIND_LABELS: Record<FieldKind, string> = {
  boolean: "boolean",
  integer: "integer",
  number: "number",
  string: "text",
  enum: "one of",
  array: "list",
  object: "object (JSON)",
  json: "any JSON value",
};

export function fieldFromSchema(name: string, raw: JsonValue, required: boolean): Field {
  const base: Schema = isObject(raw) ? raw : {};
  const { schema, nullable } = unwrapNullable(base);
  const options = enumOptions(schema);
  let kind: FieldKind;
  let itemKind: Field["itemKind"] = null;
  if (options) kind = "enum";
  else if (typeof schema.type === "string" && PRIMITIVES.has(schema.type)) kind = schema.type as FieldKind;
  else if (schema.type === "array") {
    kind = "array";
    const items = isObject(schema.items) ? unwrapNullable(schema.items).schema : null;
    if (items && typeof items.type === "string" && PRIMITIVES.has(items.type)) itemKind = items.type as Field["itemKind"];
  } else if (schema.type === "object" || "$ref" in schema || "properties" in schema) kind = "object";
  else kind = "json";
  const hasDefault = "default" in base;
  let typeLabel = KIND_LABELS[kind];
  if (kind === "array") typeLabel = itemKind ? `list of ${itemKind === "string" ? "text" : `${itemKind}s`} (JSON)` : "list (JSON)";
  if (kind === "string" && typeof schema.format === "string") typeLabel = `text (${schema.format})`;
  if (nullable) typeLabel += " or null";
  return {
    name,
    title: typeof base.title === "string" && base.title ? base.title : name,
    description: typeof base.description === "string" ? base.description : null,
    kind,
    required,
    nullable,
    hasDefault,
    defaultValue: hasDefault ? base.default : undefined,
    options: options ?? [],
    itemKind,
    constraints: constraintsOf(schema),
    typeLabel,
  };
}

/** The fields of a flow's parameter schema, in the schema's order, required first kept. */
export function fieldsFromSchema(schema: JsonValue | null | undefined): Field[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : []);
  return Object.entries(schema.properties).map(([name, prop]) => fieldFromSchema(name, prop, required.has(name)));
}

/** An option's key in a <select> (JSON text, so 1 and "1" stay different). */
export function optionKey(value: JsonValue): string {
  return JSON.stringify(value);
}

/** The text a field starts with: its default, shown the way the user would type it. */
export function initialRaw(field: Field): RawValue {
  const value = field.defaultValue;
  if (field.kind === "boolean" && !field.nullable && (field.required || field.hasDefault)) return value === true;
  if (value === undefined) return "";
  if (field.kind === "enum" || field.kind === "boolean") return optionKey(value);
  if (value === null) return field.kind === "json" || field.kind === "array" || field.kind === "object" ? "null" : "";
  if (field.kind === "string" && typeof value === "string") return value;
  if ((field.kind === "integer" || field.kind === "number") && typeof value === "number") return String(value);
  return JSON.stringify(value, null, field.kind === "object" ? 2 : undefined);
}

export function initialRaws(fields: Field[]): Record<string, RawValue> {
  return Object.fromEntries(fields.map((f) => [f.name, initialRaw(f)]));
}

/** A boolean field is a checkbox unless it may also be left unset or null. */
export function isCheckbox(field: Field): boolean {
  return field.kind === "boolean" && !field.nullable && (field.required || field.hasDefault);
}

export type Parsed = { ok: true; value: JsonValue; omit?: false } | { ok: true; omit: true } | { ok: false; error: string };

function checkNumber(field: Field, n: number): string | null {
  const c = field.constraints;
  if (c.minimum !== undefined && n < c.minimum) return `Must be at least ${c.minimum}.`;
  if (c.maximum !== undefined && n > c.maximum) return `Must be at most ${c.maximum}.`;
  if (c.exclusiveMinimum !== undefined && n <= c.exclusiveMinimum) return `Must be more than ${c.exclusiveMinimum}.`;
  if (c.exclusiveMaximum !== undefined && n >= c.exclusiveMaximum) return `Must be less than ${c.exclusiveMaximum}.`;
  if (c.multipleOf !== undefined && Math.abs(n / c.multipleOf - Math.round(n / c.multipleOf)) > 1e-9) {
    return `Must be a multiple of ${c.multipleOf}.`;
  }
  return null;
}

function checkString(field: Field, s: string): string | null {
  const c = field.constraints;
  if (c.minLength !== undefined && s.length < c.minLength) return `Must be at least ${c.minLength} characters.`;
  if (c.maxLength !== undefined && s.length > c.maxLength) return `Must be at most ${c.maxLength} characters.`;
  if (c.pattern !== undefined) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(c.pattern, "u");
    } catch {
      re = null; // a pattern JavaScript cannot read: the server checks it
    }
    if (re && !re.test(s)) return `Must match the pattern ${c.pattern}.`;
  }
  if (c.format === "date-time" && Number.isNaN(Date.parse(s))) return "Enter a date and time, e.g. 2026-01-31T09:30:00Z.";
  if (c.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(s)) return "Enter a date as YYYY-MM-DD.";
  if (c.format === "email" && !/^[^@\s]+@[^@\s]+$/.test(s)) return "Enter an email address.";
  return null;
}

function checkItems(field: Field, list: JsonValue[]): string | null {
  const c = field.constraints;
  if (c.minItems !== undefined && list.length < c.minItems) return `Needs at least ${c.minItems} items.`;
  if (c.maxItems !== undefined && list.length > c.maxItems) return `Takes at most ${c.maxItems} items.`;
  if (field.itemKind) {
    const bad = list.findIndex((item) => !matchesKind(field.itemKind!, item));
    if (bad >= 0) return `Item ${bad + 1} is not ${field.itemKind === "integer" ? "a whole number" : `a ${field.itemKind}`}.`;
  }
  return null;
}

function matchesKind(kind: string, value: JsonValue): boolean {
  switch (kind) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    default:
      return true;
  }
}

/** Parse one field's raw value: its JSON value, "leave it out", or a message. */
export function parseField(field: Field, raw: RawValue): Parsed {
  if (typeof raw === "boolean") return { ok: true, value: raw };
  const text = field.kind === "string" ? raw : raw.trim();
  if (text === "") {
    if (field.required && !field.hasDefault) return { ok: false, error: "Required." };
    return { ok: true, omit: true };
  }
  if (field.nullable && text === "null" && field.kind !== "string") return { ok: true, value: null };
  switch (field.kind) {
    case "boolean":
    case "enum": {
      const match = field.options.find((option) => optionKey(option) === text);
      if (field.kind === "boolean") {
        if (text === "true" || text === "false") return { ok: true, value: text === "true" };
        return { ok: false, error: "Choose true or false." };
      }
      if (match === undefined) return { ok: false, error: `Choose one of: ${field.options.map((o) => String(o)).join(", ")}.` };
      return { ok: true, value: match };
    }
    case "integer": {
      if (!/^[+-]?\d+$/.test(text)) return { ok: false, error: "Enter a whole number." };
      const n = Number(text);
      if (!Number.isSafeInteger(n)) return { ok: false, error: "This number is too large." };
      const problem = checkNumber(field, n);
      return problem ? { ok: false, error: problem } : { ok: true, value: n };
    }
    case "number": {
      const n = Number(text);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(n)) {
        return { ok: false, error: "Enter a number." };
      }
      const problem = checkNumber(field, n);
      return problem ? { ok: false, error: problem } : { ok: true, value: n };
    }
    case "string": {
      const problem = checkString(field, raw);
      return problem ? { ok: false, error: problem } : { ok: true, value: raw };
    }
    case "array":
    case "object":
    case "json": {
      let value: JsonValue;
      try {
        value = JSON.parse(text) as JsonValue;
      } catch {
        if (field.kind === "json") return { ok: true, value: raw }; // plain text is a string
        return { ok: false, error: field.kind === "array" ? 'Enter a JSON list, e.g. ["a", "b"].' : 'Enter a JSON object, e.g. {"key": 1}.' };
      }
      if (field.kind === "array") {
        if (!Array.isArray(value)) return { ok: false, error: 'Enter a JSON list, e.g. ["a", "b"].' };
        const problem = checkItems(field, value);
        return problem ? { ok: false, error: problem } : { ok: true, value };
      }
      if (field.kind === "object" && !isObject(value)) return { ok: false, error: 'Enter a JSON object, e.g. {"key": 1}.' };
      return { ok: true, value };
    }
  }
}

/** Every field parsed: the parameters to send, or the messages to show (by field name). */
export function collect(fields: Field[], raws: Record<string, RawValue>): { values: JsonObject; errors: Record<string, string> } {
  const values: JsonObject = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const parsed = parseField(field, raws[field.name] ?? initialRaw(field));
    if (!parsed.ok) errors[field.name] = parsed.error;
    else if (!parsed.omit) values[field.name] = parsed.value;
  }
  return { values, errors };
}
