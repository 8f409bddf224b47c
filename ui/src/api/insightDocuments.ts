/** Documents and types of what the server says about a run beyond its row: attempts,
 * why it failed, whether an agent can take it, what a restart runs again. */

export interface RunAttempt {
  number: number;
  began: string;
  state: string;
  stateType: string;
  message: string | null;
  startTime: string | null;
  endTime: string | null;
}

export interface FailedTaskRun {
  taskSlug: string;
  mapIndex: number;
  taskRunName: string;
  state: string;
  exceptionType: string | null;
  message: string | null;
}

export interface FailureSummary {
  text: string | null;
  total: number;
  causes: FailedTaskRun[];
}

export interface AgentMatch {
  covered: boolean;
  healthyAgents: number;
  matchingAgents: string[];
  missingLabels: string[];
  closestAgent: string | null;
  suggestion: string | null;
}

export interface RestartPreview {
  restartable: boolean;
  state: string;
  rerunCount: number;
  reusedCount: number;
  rerun: { taskSlug: string; reason: "chosen" | "failed" | "downstream" | "not_persisted"; count: number; mapIndexes: number[] }[];
}

export interface RunInsight {
  id: string;
  attempts: RunAttempt[];
  failureSummary: FailureSummary | null;
  agentMatch: AgentMatch | null;
}

export const FAILURE_SUMMARY_FIELDS = `text total causes { taskSlug mapIndex taskRunName state exceptionType message }`;
export const AGENT_MATCH_FIELDS = `covered healthyAgents matchingAgents missingLabels closestAgent suggestion`;

export const RUN_INSIGHT = `
query RunInsight($id: ID!) {
  flowRun(id: $id) {
    id
    attempts { number began state stateType message startTime endTime }
    failureSummary { ${FAILURE_SUMMARY_FIELDS} }
    agentMatch { ${AGENT_MATCH_FIELDS} }
  }
}`;

export const RESTART_PREVIEW = `
query RestartPreview($id: ID!) {
  flowRun(id: $id) {
    id restartPreview { restartable state rerunCount reusedCount rerun { taskSlug reason count mapIndexes } }
  }
}`;

export interface RecentFailure {
  flowRun: { id: string; name: string; flowName: string; state: string };
  failedAt: string;
  state: string;
  message: string | null;
  attempt: number;
  restarted: boolean;
  failureSummary: FailureSummary;
}
