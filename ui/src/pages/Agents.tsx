import { useState, type CSSProperties } from "react";
import { DELETE_AGENT } from "../api/agentDocuments";
import { request } from "../api/client";
import { AGENTS } from "../api/documents";
import { useNow, useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import type { Agent } from "../api/types";
import { Confirm, toast } from "../components/Feedback";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { IconAgents } from "../components/icons";
import { Card, PageHead } from "../components/Page";
import { HEALTH_FAMILY, healthOf, isStale } from "../lib/agents";
import { Link } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDateTime, formatRelative } from "../lib/time";
import { flowRunUrl } from "../routes";

export default function Agents() {
  // Heartbeats announce no event: re-read every 15 s (never faster than 10 s).
  const query = useQuery(AGENTS, {}, { refreshMs: 15_000 });
  const now = useNow(5000);
  const can = useCan();
  const [removing, setRemoving] = useState<Agent | null>(null);
  const remove = async (agent: Agent) => {
    try {
      await request(DELETE_AGENT, { id: agent.id });
      toast(`Agent ${agent.name} removed`);
      await query.refetch();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    } finally {
      setRemoving(null);
    }
  };
  return (
    <>
      <PageHead title="Agents" subtitle="Processes on your machines that pick up flow runs and report back." />
      <Loaded query={query}>
        {({ agents }) => (
          <Card flush>
            {agents.length === 0 ? (
              <EmptyState icon={<IconAgents />} title="No agent has connected yet" commands={["proctor agent start", "proctor agent start --label gpu"]}>
                Start an agent on a machine that can run your flows. It registers itself, heartbeats, and picks up the
                runs whose labels it covers. In auth mode, give it a service account’s key (Team settings → Service accounts).
              </EmptyState>
            ) : (
              <table className="table" data-testid="agents-table">
                <thead><tr><th>Agent</th><th>Health</th><th>Labels</th><th>Last heartbeat</th><th className="num">Runs in flight</th><th>Recent runs</th><th>Version</th><th><span className="sr-only">Actions</span></th></tr></thead>
                <tbody>
                  {agents.map((agent) => {
                    const health = healthOf(agent, now);
                    const recent = agent.recentRuns ?? [];
                    return (
                      <tr key={agent.id} data-testid={`agent-${agent.name}`}>
                        <td style={{ fontWeight: 600 }}>{agent.name}</td>
                        <td>
                          <span className="badge" data-health={health} style={{ "--c": stateColorVar(HEALTH_FAMILY[health]) } as CSSProperties}><span className="dot" />{health}</span>
                          {/* Why a heartbeating agent cannot start runs (its daemon is down): the server rates it unhealthy for this. */}
                          {agent.problem && <div className="small" role="status" data-testid="agent-problem" style={{ marginTop: 4, maxWidth: 320, color: "var(--danger)" }}>{agent.problem}</div>}
                        </td>
                        <td><div className="row">{agent.labels.length ? agent.labels.map((l) => <span key={l} className="tag">{l}</span>) : <span className="faint small">any</span>}</div></td>
                        <td className="muted" title={formatDateTime(agent.lastHeartbeat)}>{formatRelative(agent.lastHeartbeat, now)}</td>
                        <td className="num">{agent.runsInFlight}</td>
                        <td>
                          {recent.length === 0 ? <span className="faint small">none yet</span> : (
                            <div className="run-dots" data-testid="recent-runs">
                              {[...recent].reverse().map((run) => (
                                <Link key={run.id} to={flowRunUrl(run.id)} title={`${run.flowName} · ${run.name} · ${run.state}`} aria-label={`${run.flowName} ${run.name} ${run.state}`}
                                  style={{ "--c": stateColorVar(run.state) } as CSSProperties} />
                              ))}
                            </div>
                          )}
                          {recent[0] && <div className="small faint" style={{ marginTop: 4 }}>last: {recent[0].flowName}, {recent[0].state}</div>}
                        </td>
                        <td className="muted mono small">{agent.version ?? "—"}</td>
                        <td>
                          {can.runFlows && isStale(health) && (
                            <button type="button" className="btn btn-sm btn-ghost btn-danger" onClick={() => setRemoving(agent)} data-testid="remove-agent">Remove</button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </Card>
        )}
      </Loaded>
      {removing && (
        <Confirm title={`Remove agent ${removing.name}?`} confirmLabel="Remove" danger onCancel={() => setRemoving(null)} onConfirm={() => void remove(removing)}>
          It leaves this list; the runs it ran stay. If it starts again it registers again. The CLI does the same:
          <code> proctor agents rm {removing.name}</code>.
        </Confirm>
      )}
      <p className="small faint" style={{ marginTop: 12 }}>
        Judged by the server from the agents’ heartbeat interval: healthy (heartbeats on time), late (a few missed),
        unhealthy (silent for longer, or never, or reporting a problem that keeps it from starting runs, shown under
        its health), stopped (it stopped cleanly). An agent turning unhealthy can trigger an
        automation; a stopped or unhealthy agent can be removed.
      </p>
    </>
  );
}
