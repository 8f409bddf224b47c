/** The shapes of automations, deliveries, SLAs and limits (as the API sends them). */
import type { JsonObject, JsonValue } from "./types";

export interface AutomationTrigger {
  type: string;
  states: string[];
  projectId: string | null;
  flowGroupIds: string[];
  tags: string[];
  kinds: string[];
  agentNames: string[];
  count: number | null;
  taskSlugs: string[];
}

export interface AutomationAction {
  type: string;
  url: string | null;
  headers: Record<string, string> | null;
  message: string | null;
  to: string[];
  subject: string | null;
  flowGroupId: string | null;
  parameters: JsonObject | null;
}

export interface Automation {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  trigger: AutomationTrigger;
  actions: AutomationAction[];
  created: string;
  updated: string;
}

export interface NotificationAttempt {
  number: number;
  success: boolean;
  statusCode: number | null;
  error: string | null;
  detail: string | null;
  started: string;
  durationMs: number;
}

export interface Notification {
  id: string;
  automationId: string | null;
  automationName: string;
  actionIndex: number;
  actionType: string;
  triggerKey: string;
  event: { [key: string]: JsonValue };
  flowRunId: string | null;
  test: boolean;
  status: string;
  attemptCount: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  created: string;
  updated: string;
  attempts: NotificationAttempt[];
}

export interface FlowSla {
  flowGroupId: string;
  lateStartSeconds: number | null;
  longRunSeconds: number | null;
  missedRunSeconds: number | null;
  updated: string | null;
}

export interface SlaBreach {
  id: string;
  flowGroupId: string;
  flowName: string;
  flowRunId: string | null;
  kind: string;
  subject: string;
  thresholdSeconds: number;
  expectedAt: string;
  detected: string;
  message: string | null;
}

export interface SlotHolder {
  flowRunId: string;
  flowRunName: string;
  taskRunId: string | null;
  taskSlug: string | null;
  mapIndex: number | null;
  state: string;
  acquired: string;
}

export interface ConcurrencyLimit {
  id: string;
  kind: string;
  key: string;
  limit: number;
  inUse: number;
  holders: SlotHolder[];
  created: string | null;
  updated: string | null;
}
