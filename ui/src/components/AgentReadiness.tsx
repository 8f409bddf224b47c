/**
 * Which agents would pick up a run with these labels, under the run form: a healthy agent
 * whose labels cover them, or, when there is none, the exact command that starts one
 * (with the `--label`s the run needs).
 */
import { AGENTS } from "../api/documents";
import { useQuery } from "../api/hooks";
import type { Agent } from "../api/types";
import { healthOf } from "../lib/agents";

/** Healthy agents whose labels include every one of `labels`. */
export function coveringAgents(agents: Agent[], labels: string[], now = Date.now()): Agent[] {
  return agents.filter((agent) => healthOf(agent, now) === "healthy" && labels.every((label) => agent.labels.includes(label)));
}

export function startCommand(labels: string[]): string {
  return ["proctor agent start", ...labels.map((label) => `--label ${label}`)].join(" ");
}

export function AgentReadiness({ labels }: { labels: string[] }) {
  // Heartbeats announce no event: re-read every 15 s.
  const query = useQuery(AGENTS, {}, { refreshMs: 15_000 });
  if (!query.data) return null;
  const covering = coveringAgents(query.data.agents, labels);
  const wanted = labels.length ? ` with the labels ${labels.join(", ")}` : "";
  if (covering.length) {
    return (
      <p className="small muted" style={{ marginBottom: 0 }} data-testid="run-agents-ready">
        {covering.length === 1 ? `Agent ${covering[0].name} is` : `${covering.length} agents are`} healthy and will pick it up{wanted}.
      </p>
    );
  }
  return (
    <div data-testid="run-agents-missing">
      <p className="small muted" style={{ marginBottom: 4 }}>
        No healthy agent{wanted ? ` has${wanted.replace(" with", "")}` : " is connected"} yet: the run waits until one does. Start one:
      </p>
      <code className="small">{startCommand(labels)}</code>
    </div>
  );
}
