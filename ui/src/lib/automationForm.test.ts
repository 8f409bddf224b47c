import type { Automation } from "../api/alertingTypes";
import {
  describeTrigger, emptyAction, emptyAutomation, fromAutomation, templateProblem, toAutomationInput, validateAutomation, type AutomationForm,
} from "./automationForm";

function form(changes: Partial<AutomationForm> = {}): AutomationForm {
  return { ...emptyAutomation(), name: "failures", ...changes };
}

describe("templateProblem", () => {
  it("accepts known bare placeholders and doubled braces", () => {
    expect(templateProblem("{flow} is {state}: {link}")).toBeNull();
    expect(templateProblem("literal {{braces}} and {title}")).toBeNull();
    expect(templateProblem("no placeholders at all")).toBeNull();
  });

  it("refuses what the server refuses", () => {
    expect(templateProblem("{sate}")).toMatch(/Unknown placeholder \{sate\}/);
    expect(templateProblem("{flow.name}")).toMatch(/bare names: \{flow\}/);
    expect(templateProblem("{flow!r}")).toMatch(/bare names/);
    expect(templateProblem("{state:>10}")).toMatch(/bare names/);
    expect(templateProblem("open { brace")).toMatch(/never closed|not a placeholder/);
    expect(templateProblem("close } brace")).toMatch(/single \}/);
  });
});

describe("validateAutomation", () => {
  it("finds nothing wrong with a complete webhook automation", () => {
    const f = form({ actions: [{ ...emptyAction("webhook"), url: "https://hooks.example.com/p", headers: [{ name: "X-Team", value: "data" }] }] });
    expect(validateAutomation(f)).toEqual({});
  });

  it("names every wrong field", () => {
    const errors = validateAutomation(form({
      name: " ",
      states: [],
      actions: [
        { ...emptyAction("webhook"), url: "ftp://x", headers: [{ name: "Content-Type", value: "x" }, { name: "bad name", value: "" }], message: "{nope}" },
        { ...emptyAction("email"), to: "a@example.com, not-an-email", subject: "line\nbreak" },
        { ...emptyAction("start_flow_run"), parameters: "[1, 2]" },
        emptyAction("slack"),
      ],
    }));
    expect(Object.keys(errors).sort()).toEqual([
      "actions.0.headers.0", "actions.0.headers.1", "actions.0.message", "actions.0.url",
      "actions.1.subject", "actions.1.to",
      "actions.2.flowGroupId", "actions.2.parameters",
      "actions.3.url",
      "name", "trigger.states",
    ]);
    expect(errors["actions.0.headers.0"]).toMatch(/set by Proctor/);
    expect(errors["actions.1.to"]).toMatch(/not-an-email is not an email/);
    expect(errors["actions.2.parameters"]).toMatch(/JSON object/);
  });

  it("checks the trigger's own fields and what its actions need", () => {
    expect(validateAutomation(form({ triggerType: "task_run_failures", count: "0" }))["trigger.count"]).toMatch(/1 to 100/);
    expect(validateAutomation(form({ triggerType: "task_run_failures", count: "3", actions: [{ ...emptyAction("webhook"), url: "http://h/x" }] }))).toEqual({});
    const agent = validateAutomation(form({ triggerType: "agent_unhealthy", actions: [emptyAction("cancel_flow_run"), emptyAction("pause_schedule")] }));
    expect(agent["actions.0.type"]).toMatch(/trigger about a run/);
    expect(agent["actions.1.flowGroupId"]).toMatch(/Pick the flow/);
    expect(validateAutomation(form({ actions: [] })).actions).toMatch(/at least one/);
  });
});

describe("conversion to and from the API", () => {
  it("sends only the fields each type uses", () => {
    const input = toAutomationInput(form({
      description: "  ",
      tags: "nightly, gpu",
      projectId: "p1",
      actions: [
        { ...emptyAction("webhook"), url: " https://h/x ", headers: [{ name: "X-Team", value: "data" }, { name: " ", value: "" }], message: "{title}" },
        { ...emptyAction("email"), to: "a@x.io,b@x.io", subject: "" },
        { ...emptyAction("start_flow_run"), flowGroupId: "g1", parameters: '{"day": 1}' },
        emptyAction("cancel_flow_run"),
      ],
    }));
    expect(input).toEqual({
      name: "failures",
      description: null,
      enabled: true,
      trigger: { type: "flow_run_state", states: ["Failed"], project: "p1", tags: ["nightly", "gpu"] },
      actions: [
        { type: "webhook", url: "https://h/x", headers: { "X-Team": "data" }, message: "{title}" },
        { type: "email", to: ["a@x.io", "b@x.io"] },
        { type: "start_flow_run", flowGroupId: "g1", parameters: { day: 1 } },
        { type: "cancel_flow_run" },
      ],
    });
    expect(toAutomationInput(form({ triggerType: "agent_unhealthy", agentNames: "a1", tags: "x" })).trigger).toEqual({ type: "agent_unhealthy", agentNames: ["a1"] });
  });

  it("reads an automation back into the same form", () => {
    const automation: Automation = {
      id: "a1", name: "late", description: null, enabled: false, created: "", updated: "",
      trigger: { type: "sla_breach", states: [], projectId: null, flowGroupIds: ["g1"], tags: ["x"], kinds: ["late_start"], agentNames: [], count: null, taskSlugs: [] },
      actions: [{ type: "webhook", url: "https://h/x", headers: { "X-Team": "data" }, message: null, to: [], subject: null, flowGroupId: null, parameters: null }],
    };
    const f = fromAutomation(automation);
    expect(f).toMatchObject({ name: "late", enabled: false, triggerType: "sla_breach", kinds: ["late_start"], flowGroupIds: ["g1"], tags: "x" });
    expect(f.actions[0].headers).toEqual([{ name: "X-Team", value: "data" }]);
    expect(toAutomationInput(f).trigger).toEqual({ type: "sla_breach", flowGroupIds: ["g1"], tags: ["x"], kinds: ["late_start"] });
    expect(describeTrigger(automation)).toBe("SLA breached (Late start)");
  });
});
