import { useEffect, useMemo, type CSSProperties } from "react";
import { DASHBOARD, RUN_FEED } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import type { DashboardQuery } from "../gql/graphql";
import { subscribe } from "../api/live";
import { ActivityFeed } from "../components/ActivityFeed";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { IconAgents, IconAlert, IconClock, IconFlows } from "../components/icons";
import { Card, PageHead } from "../components/Page";
import { RunsChart } from "../components/RunsChart";
import { RunsTimelineCard } from "../components/RunsTimeline";
import { SlaBreachesCard } from "../components/SlaBreaches";
import { StateBadge } from "../components/State";
import { HEALTH_FAMILY, healthOf } from "../lib/agents";
import { fillBuckets, successRate } from "../lib/charts";
import { Link } from "../lib/router";
import { stateColorVar } from "../lib/states";
import { formatDuration, formatRelative, runDuration } from "../lib/time";
import { flowRunUrl } from "../routes";

type DashboardData = DashboardQuery;

const HOURS = 24;
const EVERYTHING = { kinds: null, flow: null, since: null };
const BUCKET_MS = 3_600_000;
const LATE_AFTER_MS = 60_000;

export default function Dashboard() {
  const now = useNow(15_000);
  // The window moves with the hour, so the query (and its cache key) is stable within it.
  const hour = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const since = hour - (HOURS - 1) * BUCKET_MS;
  const variables = useMemo(
    // `until`: runs scheduled in the future are not "runs of the last 24 h".
    () => ({ since: new Date(since).toISOString(), bucket: BUCKET_MS / 1000, now: new Date(Math.floor((now - LATE_AFTER_MS) / 10_000) * 10_000).toISOString(), until: new Date(Math.ceil(now / 10_000) * 10_000).toISOString() }),
    [since, now],
  );
  const query = useQuery(DASHBOARD, variables, { refreshMs: 30_000 });
  const refetch = useThrottled(() => void query.refetch(), 1000);
  useEffect(() => subscribe(RUN_FEED, {}, { next: refetch }), [refetch]);

  return (
    <>
      <PageHead title="Dashboard" subtitle="Run activity across every flow, live." />
      <Loaded query={query} skeleton={<DashboardSkeleton />}>
        {(data) => <DashboardBody data={data} since={since} now={now} />}
      </Loaded>
    </>
  );
}

function DashboardSkeleton() {
  return (
    <div className="stack">
      <div className="grid grid-4">{[0, 1, 2, 3].map((i) => <div key={i} className="skeleton" style={{ height: 96 }} />)}</div>
      <div className="skeleton" style={{ height: 260 }} />
    </div>
  );
}

function DashboardBody({ data, since, now }: { data: DashboardData; since: number; now: number }) {
  const buckets = fillBuckets(data.runCounts, since, BUCKET_MS, HOURS);
  const total = buckets.reduce((n, b) => n + b.total, 0);
  const rate = successRate(buckets);
  const failed = buckets.reduce((n, b) => n + (b.counts.Failed ?? 0), 0);
  const healthy = data.agents.filter((a) => healthOf(a, now) === "healthy").length;
  // A cleanly stopped agent is not a problem: it does not count against the others.
  const stopped = data.agents.filter((a) => healthOf(a, now) === "stopped").length;
  const expected = data.agents.length - stopped;
  const agentsFoot = !data.agents.length
    ? "no agent yet"
    : [healthy < expected ? `${expected - healthy} not reporting` : expected ? "all reporting on time" : "", stopped ? `${stopped} stopped` : ""].filter(Boolean).join(" · ");
  const noFlows = (data.flows.totalCount ?? 0) === 0;
  const late = data.late.totalCount ?? 0;

  return (
    <div className="stack">
      {noFlows && (
        <Card testId="getting-started">
          <EmptyState icon={<IconFlows />} title="Welcome to Proctor" commands={["proctor register flows.py", "proctor agent start"]}>
            No flows are registered yet. Register the flows of a Python file with the server, then start an agent on a
            machine that can run them: it picks up scheduled and manual runs and reports back here.
          </EmptyState>
        </Card>
      )}
      <div className="grid grid-4">
        <Stat label="Runs, last 24 h" value={total.toLocaleString()} foot={`${failed} failed`} />
        <Stat label="Success rate" value={rate == null ? "—" : `${Math.round(rate * 1000) / 10}%`} foot="of finished runs, 24 h" testId="success-rate" />
        <Stat label="In progress" value={String(data.active.totalCount ?? data.active.nodes.length)} foot={late ? `${late} late to start` : "none late"} warn={late > 0} />
        <Stat label="Agents healthy" value={`${healthy}/${expected}`} foot={agentsFoot} warn={healthy < expected} testId="agents-healthy" />
      </div>
      <Card title="Runs over time" hint="last 24 hours, by state">
        <RunsChart buckets={buckets} bucketMs={BUCKET_MS} />
      </Card>
      <RunsTimelineCard />
      <div className="grid grid-2">
        <Card title="In progress" hint={`${data.active.totalCount ?? 0} running`} flush testId="in-progress">
          {data.active.nodes.length === 0 ? (
            <EmptyState title="Nothing is running">Runs an agent has picked up appear here as they go.</EmptyState>
          ) : (
            <ul className="list">
              {data.active.nodes.map((run) => (
                <li key={run.id}>
                  <StateBadge state={run.state} />
                  <div className="grow">
                    <Link to={flowRunUrl(run.id)} className="title">{run.flowName}</Link>
                    <div className="small faint mono">{run.name}</div>
                  </div>
                  <span className="small muted">{formatDuration(runDuration(run.startTime, null, now))}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Upcoming" hint={late ? `${late} late` : undefined} flush testId="upcoming">
          {data.upcoming.nodes.length === 0 ? (
            <EmptyState icon={<IconClock />} title="No runs scheduled">Turn on a flow’s schedule, or start a run from its page.</EmptyState>
          ) : (
            <ul className="list">
              {data.upcoming.nodes.map((run) => {
                const lateBy = now - Date.parse(run.scheduledStartTime);
                return (
                  <li key={run.id}>
                    <StateBadge state={run.state} />
                    <div className="grow">
                      <Link to={flowRunUrl(run.id)} className="title">{run.flowName}</Link>
                      <div className="small faint mono">{run.name}</div>
                      {run.agentMatch && !run.agentMatch.covered && (
                        <div className="small warn-text" data-testid="no-agent" title={run.agentMatch.suggestion ?? undefined}>
                          No agent can take it: missing {run.agentMatch.missingLabels.join(", ")}. Start <code>{run.agentMatch.suggestion}</code>
                        </div>
                      )}
                    </div>
                    <span className={`small nowrap ${lateBy > LATE_AFTER_MS ? "danger-text" : "muted"}`}>
                      {lateBy > LATE_AFTER_MS ? `late by ${formatDuration(lateBy)}` : formatRelative(run.scheduledStartTime, now)}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card title="Recent failures" flush testId="failures">
          {data.failures.length === 0 ? (
            <EmptyState title="No failures">Failed runs show up here with the task run that caused the failure.</EmptyState>
          ) : (
            <ul className="list">
              {data.failures.map(({ flowRun: run, failedAt, message, attempt, restarted, failureSummary }) => {
                // The cause (enrich[137]: ValueError ...), not the task that only followed it.
                const cause = failureSummary.text ?? message;
                return (
                  <li key={`${run.id}:${failedAt}`} style={{ alignItems: "flex-start" }} data-testid="failure">
                    <span style={{ color: "var(--danger)", marginTop: 2 }}><IconAlert size={16} /></span>
                    <div className="grow">
                      <div className="row" style={{ justifyContent: "space-between" }}>
                        <Link to={flowRunUrl(run.id)} className="title">{run.flowName} <span className="faint mono small">{run.name}</span></Link>
                        <span className="small muted">{formatRelative(failedAt, now)}</span>
                      </div>
                      {cause && <div className="failure-msg" title={cause}>{cause}</div>}
                      {restarted && <div className="small faint" data-testid="failure-restarted">attempt {attempt} · restarted since, now {run.state}</div>}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card title="Activity" flush testId="dashboard-activity" actions={<Link to="/activity" className="small">All activity</Link>}>
          <ActivityFeed filters={EVERYTHING} limit={8} compact />
        </Card>
        <SlaBreachesCard since={new Date(since).toISOString()} now={now} />
        <Card title="Agents" flush className="span-all" actions={<Link to="/agents" className="small">All agents</Link>} testId="agent-health">
          {data.agents.length === 0 ? (
            <EmptyState icon={<IconAgents />} title="No agent is connected" commands={["proctor agent start"]}>
              Runs wait until an agent picks them up. Start one where your flows can run:
            </EmptyState>
          ) : (
            <ul className="list">
              {data.agents.slice(0, 6).map((agent) => {
                const health = healthOf(agent, now);
                return (
                  <li key={agent.id}>
                    <span className="dot" style={{ "--c": stateColorVar(HEALTH_FAMILY[health]) } as CSSProperties} />
                    <div className="grow">
                      <div className="title">{agent.name}</div>
                      <div className="small faint">{health} · heartbeat {formatRelative(agent.lastHeartbeat, now)}</div>
                    </div>
                    <span className="small muted">{agent.runsInFlight} in flight</span>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}

function Stat({ label, value, foot, warn, testId }: { label: string; value: string; foot?: string; warn?: boolean; testId?: string }) {
  return (
    <div className="card stat" data-testid={testId}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {foot && <div className="foot" style={warn ? { color: "var(--warning)" } : undefined}>{foot}</div>}
    </div>
  );
}
