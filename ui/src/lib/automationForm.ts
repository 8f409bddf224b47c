/**
 * The automation form's logic, without React: the form's state, what is wrong with it
 * (field by field, before anything is sent), and its conversion to and from the API's
 * `AutomationInput` / `Automation`. The server validates again; these rules mirror
 * `proctor.server.services.alerting.specs` so that most mistakes never leave the page.
 */
import type { Automation } from "../api/alertingTypes";
import type { ActionInput, AutomationInput, TriggerInput } from "../gql/graphql";
import type { JsonObject } from "../api/types";
import { isEmail, isHttpUrl } from "./validation";

export const TRIGGER_TYPES = ["flow_run_state", "sla_breach", "agent_unhealthy", "task_run_failures"] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
export const TRIGGER_LABELS: Record<TriggerType, string> = {
  flow_run_state: "A flow run enters a state",
  sla_breach: "An SLA is breached",
  agent_unhealthy: "An agent becomes unhealthy",
  task_run_failures: "A task fails N runs in a row",
};

export const ACTION_TYPES = ["webhook", "slack", "email", "start_flow_run", "cancel_flow_run", "pause_schedule"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
export const ACTION_LABELS: Record<ActionType, string> = {
  webhook: "Webhook",
  slack: "Slack message",
  email: "Email",
  start_flow_run: "Start a flow run",
  cancel_flow_run: "Cancel the run",
  pause_schedule: "Pause a schedule",
};
export const MESSAGE_ACTIONS: ReadonlySet<string> = new Set(["webhook", "slack", "email"]);
export const SLA_KINDS = ["late_start", "long_run", "missed_run"] as const;
export const SLA_KIND_LABELS: Record<string, string> = { late_start: "Late start", long_run: "Long run", missed_run: "Missed run" };

/** The placeholders a message template may use (the server's list). */
export const PLACEHOLDERS = [
  "title", "automation", "event", "flow", "project", "flow_run", "run_name", "flow_run_id", "state", "message", "link",
  "scheduled_start_time", "start_time", "end_time", "labels", "sla_kind", "threshold", "agent", "last_heartbeat", "task", "failures",
] as const;

const MAX_ACTIONS = 10;
const MAX_HEADERS = 20;
const RESERVED_HEADERS = new Set(["content-type", "content-length", "host", "x-proctor-signature", "transfer-encoding"]);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

export interface HeaderRow {
  name: string;
  value: string;
}

export interface ActionForm {
  type: ActionType;
  url: string;
  headers: HeaderRow[];
  message: string;
  to: string;
  subject: string;
  flowGroupId: string;
  parameters: string;
}

export interface AutomationForm {
  name: string;
  description: string;
  enabled: boolean;
  triggerType: TriggerType;
  states: string[];
  projectId: string;
  flowGroupIds: string[];
  tags: string;
  kinds: string[];
  agentNames: string;
  count: string;
  taskSlugs: string;
  actions: ActionForm[];
}

/** Messages by field path: "name", "trigger.states", "actions.0.url", "actions.1.headers.2". */
export type FormErrors = Record<string, string>;

export function emptyAction(type: ActionType = "webhook"): ActionForm {
  return { type, url: "", headers: [], message: "", to: "", subject: "", flowGroupId: "", parameters: "{}" };
}

export function emptyAutomation(): AutomationForm {
  return {
    name: "",
    description: "",
    enabled: true,
    triggerType: "flow_run_state",
    states: ["Failed"],
    projectId: "",
    flowGroupIds: [],
    tags: "",
    kinds: [],
    agentNames: "",
    count: "3",
    taskSlugs: "",
    actions: [emptyAction()],
  };
}

/** "a, b,,c " -> ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
}

/** Why a message template would be refused, or null (bare known names, `{{` `}}` literals). */
export function templateProblem(template: string): string | null {
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === "{") {
      if (template[i + 1] === "{") {
        i += 2;
        continue;
      }
      const end = template.indexOf("}", i);
      if (end < 0) return "A { is never closed: write a literal brace as {{.";
      const field = template.slice(i + 1, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
        if (/[!:.[]/.test(field)) return `Write placeholders as bare names: {${field.split(/[!:.[]/)[0]}}.`;
        return `{${field}} is not a placeholder; write a literal brace as {{.`;
      }
      if (!(PLACEHOLDERS as readonly string[]).includes(field)) return `Unknown placeholder {${field}}.`;
      i = end + 1;
    } else if (c === "}") {
      if (template[i + 1] === "}") {
        i += 2;
        continue;
      }
      return "A single } is not allowed: write a literal brace as }}.";
    } else {
      i += 1;
    }
  }
  return null;
}

function parseParameters(text: string): { value: JsonObject | null; problem: string | null } {
  if (!text.trim()) return { value: {}, problem: null };
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return { value: null, problem: "Parameters must be a JSON object, e.g. {\"day\": 1}." };
    return { value: value as JsonObject, problem: null };
  } catch {
    return { value: null, problem: "Not valid JSON." };
  }
}

export function validateAutomation(form: AutomationForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) errors.name = "Name the automation.";
  else if (form.name.trim().length > 200) errors.name = "At most 200 characters.";
  if (form.triggerType === "flow_run_state" && form.states.length === 0) errors["trigger.states"] = "Pick at least one state.";
  if (form.triggerType === "task_run_failures") {
    const n = Number(form.count);
    if (!/^\d+$/.test(form.count.trim()) || n < 1 || n > 100) errors["trigger.count"] = "A whole number from 1 to 100.";
  }
  if (form.actions.length === 0) errors.actions = "Add at least one action.";
  if (form.actions.length > MAX_ACTIONS) errors.actions = `At most ${MAX_ACTIONS} actions.`;
  const runTrigger = form.triggerType !== "agent_unhealthy";
  form.actions.forEach((action, i) => {
    const at = `actions.${i}`;
    if (action.type === "webhook" || action.type === "slack") {
      if (!action.url.trim()) errors[`${at}.url`] = "Enter the URL to post to.";
      else if (!isHttpUrl(action.url)) errors[`${at}.url`] = "An absolute http:// or https:// URL.";
    }
    if (action.type === "webhook") {
      if (action.headers.length > MAX_HEADERS) errors[`${at}.headers`] = `At most ${MAX_HEADERS} headers.`;
      const seen = new Set<string>();
      action.headers.forEach((header, h) => {
        const name = header.name.trim();
        if (!name && !header.value.trim()) return;
        if (!HEADER_NAME.test(name)) errors[`${at}.headers.${h}`] = "Not a valid header name.";
        else if (RESERVED_HEADERS.has(name.toLowerCase())) errors[`${at}.headers.${h}`] = `${name} is set by Proctor.`;
        else if (seen.has(name.toLowerCase())) errors[`${at}.headers.${h}`] = `${name} is given twice.`;
        else if (/[\r\n\0]/.test(header.value) || header.value.length > 2000) errors[`${at}.headers.${h}`] = "One line of at most 2000 characters.";
        seen.add(name.toLowerCase());
      });
    }
    if (action.type === "email") {
      const to = splitList(action.to);
      if (to.length === 0) errors[`${at}.to`] = "Enter at least one recipient.";
      else if (to.length > 20) errors[`${at}.to`] = "At most 20 recipients.";
      else {
        const bad = to.find((address) => !isEmail(address));
        if (bad) errors[`${at}.to`] = `${bad} is not an email address.`;
      }
      if (/[\r\n]/.test(action.subject)) errors[`${at}.subject`] = "One line.";
      else {
        const problem = action.subject ? templateProblem(action.subject) : null;
        if (problem) errors[`${at}.subject`] = problem;
      }
    }
    if (MESSAGE_ACTIONS.has(action.type) && action.message) {
      const problem = templateProblem(action.message);
      if (problem) errors[`${at}.message`] = problem;
    }
    if (action.type === "start_flow_run") {
      if (!action.flowGroupId) errors[`${at}.flowGroupId`] = "Pick the flow to start.";
      const { problem } = parseParameters(action.parameters);
      if (problem) errors[`${at}.parameters`] = problem;
    }
    if (action.type === "cancel_flow_run" && !runTrigger) errors[`${at}.type`] = "Cancelling needs a trigger about a run.";
    if (action.type === "pause_schedule" && !runTrigger && !action.flowGroupId) errors[`${at}.flowGroupId`] = "Pick the flow whose schedule to pause.";
  });
  return errors;
}

/** The form as the API's `AutomationInput` (only the fields its types use). */
export function toAutomationInput(form: AutomationForm): AutomationInput {
  const trigger: TriggerInput = { type: form.triggerType };
  if (form.triggerType !== "agent_unhealthy") {
    if (form.projectId) trigger.project = form.projectId;
    if (form.flowGroupIds.length) trigger.flowGroupIds = form.flowGroupIds;
    const tags = splitList(form.tags);
    if (tags.length) trigger.tags = tags;
  }
  if (form.triggerType === "flow_run_state") trigger.states = form.states;
  if (form.triggerType === "sla_breach" && form.kinds.length) trigger.kinds = form.kinds;
  if (form.triggerType === "agent_unhealthy") {
    const names = splitList(form.agentNames);
    if (names.length) trigger.agentNames = names;
  }
  if (form.triggerType === "task_run_failures") {
    trigger.count = Number(form.count);
    const slugs = splitList(form.taskSlugs);
    if (slugs.length) trigger.taskSlugs = slugs;
  }
  const actions = form.actions.map((action) => {
    const out: ActionInput = { type: action.type };
    if (action.type === "webhook" || action.type === "slack") out.url = action.url.trim();
    if (action.type === "webhook") {
      const headers: Record<string, string> = {};
      for (const h of action.headers) if (h.name.trim()) headers[h.name.trim()] = h.value;
      if (Object.keys(headers).length) out.headers = headers;
    }
    if (MESSAGE_ACTIONS.has(action.type) && action.message) out.message = action.message;
    if (action.type === "email") {
      out.to = splitList(action.to);
      if (action.subject) out.subject = action.subject;
    }
    if (action.type === "start_flow_run") {
      out.flowGroupId = action.flowGroupId;
      out.parameters = parseParameters(action.parameters).value ?? {};
    }
    if (action.type === "pause_schedule" && action.flowGroupId) out.flowGroupId = action.flowGroupId;
    return out;
  });
  return {
    name: form.name.trim(),
    description: form.description.trim() || null,
    enabled: form.enabled,
    trigger,
    actions,
  };
}

/** An automation read from the API, as the form edits it. */
export function fromAutomation(automation: Automation): AutomationForm {
  const t = automation.trigger;
  return {
    name: automation.name,
    description: automation.description ?? "",
    enabled: automation.enabled,
    triggerType: (TRIGGER_TYPES as readonly string[]).includes(t.type) ? (t.type as TriggerType) : "flow_run_state",
    states: t.states,
    projectId: t.projectId ?? "",
    flowGroupIds: t.flowGroupIds,
    tags: t.tags.join(", "),
    kinds: t.kinds,
    agentNames: t.agentNames.join(", "),
    count: t.count != null ? String(t.count) : "3",
    taskSlugs: t.taskSlugs.join(", "),
    actions: automation.actions.map((a) => ({
      type: (ACTION_TYPES as readonly string[]).includes(a.type) ? (a.type as ActionType) : "webhook",
      url: a.url ?? "",
      headers: Object.entries(a.headers ?? {}).map(([name, value]) => ({ name, value: String(value) })),
      message: a.message ?? "",
      to: a.to.join(", "),
      subject: a.subject ?? "",
      flowGroupId: a.flowGroupId ?? "",
      parameters: a.parameters ? JSON.stringify(a.parameters, null, 2) : "{}",
    })),
  };
}

/** One line saying what an automation does, for the list. */
export function describeTrigger(automation: Pick<Automation, "trigger">): string {
  const t = automation.trigger;
  switch (t.type) {
    case "flow_run_state":
      return `A run enters ${t.states.join(", ") || "a state"}`;
    case "sla_breach":
      return `SLA breached${t.kinds.length ? ` (${t.kinds.map((k) => SLA_KIND_LABELS[k] ?? k).join(", ")})` : ""}`;
    case "agent_unhealthy":
      return t.agentNames.length ? `Agent ${t.agentNames.join(", ")} unhealthy` : "Any agent unhealthy";
    case "task_run_failures":
      return `A task${t.taskSlugs.length ? ` (${t.taskSlugs.join(", ")})` : ""} fails ${t.count ?? "?"} runs in a row`;
    default:
      return t.type;
  }
}
