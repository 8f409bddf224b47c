import type { CSSProperties } from "react";
import { AGENTS } from "../api/documents";
import { useNow, useQuery } from "../api/hooks";
import type { Agent } from "../api/types";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { IconAgents } from "../components/icons";
import { Card, PageHead } from "../components/Page";
import { HEALTH_FAMILY, healthOf } from "../lib/agents";
import { Link } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDateTime, formatRelative } from "../lib/time";
import { flowRunUrl } from "../routes";

export default function Agents() {
  // Heartbeats announce no event: re-read every 15 s (never faster than 10 s).
  const query = useQuery<{ agents: Agent[] }>(AGENTS, {}, { refreshMs: 15_000 });
  const now = useNow(5000);
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
                <thead><tr><th>Agent</th><th>Health</th><th>Labels</th><th>Last heartbeat</th><th className="num">Runs in flight</th><th>Recent runs</th><th>Version</th></tr></thead>
                <tbody>
                  {agents.map((agent) => {
                    const health = healthOf(agent, now);
                    const recent = agent.recentRuns ?? [];
                    return (
                      <tr key={agent.id} data-testid={`agent-${agent.name}`}>
                        <td style={{ fontWeight: 600 }}>{agent.name}</td>
                        <td>
                          <span className="badge" data-health={health} style={{ "--c": stateColorVar(HEALTH_FAMILY[health]) } as CSSProperties}><span className="dot" />{health}</span>
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
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </Card>
        )}
      </Loaded>
      <p className="small faint" style={{ marginTop: 12 }}>
        Judged by the server from the agents’ heartbeat interval: healthy (heartbeats on time), late (a few missed),
        unhealthy (silent for longer, or never); an agent turning unhealthy can trigger an automation.
      </p>
    </>
  );
}
