import { describe, expect, it } from "vitest";
import { collect, fieldFromSchema, fieldsFromSchema, initialRaw, initialRaws, isCheckbox, optionKey, parseField } from "./schemaForm";

const etl = {
  title: "etl",
  type: "object",
  properties: {
    pages: { type: "integer", title: "pages", default: 3 },
    rate: { type: "number", title: "rate", default: 1.1, description: "Exchange rate" },
    name: { type: "string", title: "name" },
    dry_run: { type: "boolean", title: "dry_run", default: false },
  },
  required: ["name"],
  additionalProperties: false,
};

describe("fieldsFromSchema", () => {
  it("reads types, titles, defaults and required, in order", () => {
    const fields = fieldsFromSchema(etl);
    expect(fields.map((f) => [f.name, f.kind, f.required, f.hasDefault])).toEqual([
      ["pages", "integer", false, true],
      ["rate", "number", false, true],
      ["name", "string", true, false],
      ["dry_run", "boolean", false, true],
    ]);
    expect(fields[1].description).toBe("Exchange rate");
    expect(fields[0].defaultValue).toBe(3);
  });

  it("returns nothing for a schema without properties", () => {
    expect(fieldsFromSchema(null)).toEqual([]);
    expect(fieldsFromSchema({ type: "object" })).toEqual([]);
    expect(fieldsFromSchema([1, 2])).toEqual([]);
  });

  it("understands enums, consts, Optional[...] and lists", () => {
    const literal = fieldFromSchema("mode", { enum: ["fast", "safe"], type: "string" }, true);
    expect(literal.kind).toBe("enum");
    expect(literal.options).toEqual(["fast", "safe"]);
    const consts = fieldFromSchema("n", { anyOf: [{ const: 1 }, { const: 2 }] }, true);
    expect(consts.kind).toBe("enum");
    expect(consts.options).toEqual([1, 2]);
    const optional = fieldFromSchema("limit", { anyOf: [{ type: "integer" }, { type: "null" }], default: null }, false);
    expect(optional.kind).toBe("integer");
    expect(optional.nullable).toBe(true);
    expect(optional.typeLabel).toBe("integer or null");
    const typeList = fieldFromSchema("x", { type: ["number", "null"] }, false);
    expect(typeList.kind).toBe("number");
    expect(typeList.nullable).toBe(true);
    const list = fieldFromSchema("tags", { type: "array", items: { type: "string" } }, false);
    expect(list.kind).toBe("array");
    expect(list.itemKind).toBe("string");
    expect(fieldFromSchema("m", { $ref: "#/$defs/Model" }, true).kind).toBe("object");
    expect(fieldFromSchema("any", {}, false).kind).toBe("json");
  });

  it("uses the name when there is no title", () => {
    expect(fieldFromSchema("pages", { type: "integer" }, false).title).toBe("pages");
  });
});

describe("initial values", () => {
  it("shows defaults as the user would type them", () => {
    const raws = initialRaws(fieldsFromSchema(etl));
    expect(raws).toEqual({ pages: "3", rate: "1.1", name: "", dry_run: false });
    expect(initialRaw(fieldFromSchema("t", { type: "array", default: ["a"] }, false))).toBe('["a"]');
    expect(initialRaw(fieldFromSchema("e", { enum: ["a", "b"], default: "b" }, false))).toBe(optionKey("b"));
    expect(initialRaw(fieldFromSchema("o", { type: "object", default: { k: 1 } }, false))).toBe('{\n  "k": 1\n}');
  });

  it("renders a boolean as a checkbox unless it can be unset", () => {
    expect(isCheckbox(fieldFromSchema("b", { type: "boolean", default: true }, false))).toBe(true);
    expect(isCheckbox(fieldFromSchema("b", { type: "boolean" }, true))).toBe(true);
    expect(isCheckbox(fieldFromSchema("b", { type: "boolean" }, false))).toBe(false);
    expect(isCheckbox(fieldFromSchema("b", { anyOf: [{ type: "boolean" }, { type: "null" }], default: null }, false))).toBe(false);
  });
});

describe("parseField", () => {
  const integer = fieldFromSchema("n", { type: "integer", minimum: 1, maximum: 10 }, true);
  const number = fieldFromSchema("x", { type: "number", exclusiveMinimum: 0 }, false);
  const text = fieldFromSchema("s", { type: "string", minLength: 2, maxLength: 4, pattern: "^[a-z]+$" }, true);

  it("parses whole numbers and explains bad ones", () => {
    expect(parseField(integer, "7")).toEqual({ ok: true, value: 7 });
    expect(parseField(integer, " -0 ")).toEqual({ ok: false, error: "Must be at least 1." });
    expect(parseField(integer, "2.5")).toEqual({ ok: false, error: "Enter a whole number." });
    expect(parseField(integer, "abc")).toEqual({ ok: false, error: "Enter a whole number." });
    expect(parseField(integer, "11")).toEqual({ ok: false, error: "Must be at most 10." });
    expect(parseField(integer, "99999999999999999999")).toEqual({ ok: false, error: "This number is too large." });
  });

  it("parses numbers", () => {
    expect(parseField(number, "1.5e2")).toEqual({ ok: true, value: 150 });
    expect(parseField(number, ".5")).toEqual({ ok: true, value: 0.5 });
    expect(parseField(number, "0")).toEqual({ ok: false, error: "Must be more than 0." });
    expect(parseField(number, "1,5")).toEqual({ ok: false, error: "Enter a number." });
    expect(parseField(number, "Infinity")).toEqual({ ok: false, error: "Enter a number." });
    expect(parseField(fieldFromSchema("m", { type: "number", multipleOf: 0.5 }, true), "1.2")).toEqual({ ok: false, error: "Must be a multiple of 0.5." });
  });

  it("checks strings: length, pattern, formats", () => {
    expect(parseField(text, "ab")).toEqual({ ok: true, value: "ab" });
    expect(parseField(text, "a")).toEqual({ ok: false, error: "Must be at least 2 characters." });
    expect(parseField(text, "abcde")).toEqual({ ok: false, error: "Must be at most 4 characters." });
    expect(parseField(text, "AB")).toEqual({ ok: false, error: "Must match the pattern ^[a-z]+$." });
    const when = fieldFromSchema("w", { type: "string", format: "date-time" }, true);
    expect(parseField(when, "2026-01-31T09:30:00Z").ok).toBe(true);
    expect(parseField(when, "soon").ok).toBe(false);
    const day = fieldFromSchema("d", { type: "string", format: "date" }, true);
    expect(parseField(day, "2026-01-31")).toEqual({ ok: true, value: "2026-01-31" });
    expect(parseField(day, "31/01/2026")).toEqual({ ok: false, error: "Enter a date as YYYY-MM-DD." });
  });

  it("keeps spaces in strings", () => {
    expect(parseField(fieldFromSchema("s", { type: "string" }, true), "  a b ")).toEqual({ ok: true, value: "  a b " });
  });

  it("requires required fields without a default, and leaves out empty optional ones", () => {
    expect(parseField(integer, "")).toEqual({ ok: false, error: "Required." });
    expect(parseField(number, "")).toEqual({ ok: true, omit: true });
    const withDefault = fieldFromSchema("p", { type: "integer", default: 3 }, true);
    expect(parseField(withDefault, "")).toEqual({ ok: true, omit: true });
  });

  it("accepts null for Optional fields", () => {
    const optional = fieldFromSchema("limit", { anyOf: [{ type: "integer" }, { type: "null" }] }, false);
    expect(parseField(optional, "null")).toEqual({ ok: true, value: null });
  });

  it("maps enum choices back to their values", () => {
    const choice = fieldFromSchema("n", { enum: [1, "1"] }, true);
    expect(parseField(choice, optionKey(1))).toEqual({ ok: true, value: 1 });
    expect(parseField(choice, optionKey("1"))).toEqual({ ok: true, value: "1" });
    expect(parseField(choice, '"2"')).toEqual({ ok: false, error: "Choose one of: 1, 1." });
    const bool = fieldFromSchema("b", { type: "boolean" }, false);
    expect(parseField(bool, "true")).toEqual({ ok: true, value: true });
    expect(parseField(bool, "")).toEqual({ ok: true, omit: true });
    expect(parseField(fieldFromSchema("c", { type: "boolean" }, true), true)).toEqual({ ok: true, value: true });
  });

  it("parses JSON lists and objects and checks their items", () => {
    const tags = fieldFromSchema("tags", { type: "array", items: { type: "integer" }, minItems: 1 }, true);
    expect(parseField(tags, "[1, 2]")).toEqual({ ok: true, value: [1, 2] });
    expect(parseField(tags, "[]")).toEqual({ ok: false, error: "Needs at least 1 items." });
    expect(parseField(tags, '[1, "x"]')).toEqual({ ok: false, error: "Item 2 is not a whole number." });
    expect(parseField(tags, "1, 2")).toEqual({ ok: false, error: 'Enter a JSON list, e.g. ["a", "b"].' });
    expect(parseField(tags, '{"a": 1}')).toEqual({ ok: false, error: 'Enter a JSON list, e.g. ["a", "b"].' });
    const obj = fieldFromSchema("cfg", { type: "object" }, true);
    expect(parseField(obj, '{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseField(obj, "[1]")).toEqual({ ok: false, error: 'Enter a JSON object, e.g. {"key": 1}.' });
  });

  it("takes any JSON for untyped parameters, and plain text as a string", () => {
    const any = fieldFromSchema("v", {}, true);
    expect(parseField(any, "42")).toEqual({ ok: true, value: 42 });
    expect(parseField(any, "hello")).toEqual({ ok: true, value: "hello" });
  });
});

describe("collect", () => {
  it("returns the parameters to send, or every message", () => {
    const fields = fieldsFromSchema(etl);
    expect(collect(fields, { pages: "5", rate: "", name: "x", dry_run: true })).toEqual({
      values: { pages: 5, name: "x", dry_run: true },
      errors: {},
    });
    expect(collect(fields, { pages: "five", rate: "1", name: "", dry_run: false }).errors).toEqual({
      pages: "Enter a whole number.",
      name: "Required.",
    });
  });
});
