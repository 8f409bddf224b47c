/**
 * The activity feed: the newest events first, and every new one prepended as it
 * happens (the `activity` subscription). After a reconnect the list is read again, since
 * events may have been missed meanwhile.
 */
import { useEffect, useState } from "react";
import { useQuery } from "../api/hooks";
import { onReconnect, subscribe } from "../api/live";
import { ACTIVITY, ACTIVITY_LIVE, type ActivityEvent } from "../api/housekeepingDocuments";
import { formatDateTime, formatRelative } from "../lib/time";
import { Link } from "../lib/router";
import { flowRunUrl } from "../routes";
import { EmptyState } from "./Empty";
import { Loaded } from "./ErrorView";
import { IconList } from "./icons";
import { StateDot } from "./State";
import "../styles/housekeeping.css";

export interface ActivityFilters {
  kinds: string[] | null;
  flow: string | null;
  since: string | null;
}

/** The state an event is about, for its dot (run states, agent health, alerts). */
function dotState(event: ActivityEvent): string | null {
  if (event.kind === "flow_run.state" || event.kind === "flow_run.created") return String(event.data.state ?? "Scheduled");
  if (event.kind === "agent.unhealthy" || event.kind === "notification.failed" || event.kind === "sla.breached") return "Failed";
  if (event.kind === "agent.healthy" || event.kind === "notification.delivered") return "Success";
  return null;
}

export function ActivityFeed({ filters, limit, compact }: { filters: ActivityFilters; limit: number; compact?: boolean }) {
  const query = useQuery(ACTIVITY, { ...filters, first: limit, after: null });
  const [live, setLive] = useState<ActivityEvent[]>([]);
  const key = JSON.stringify(filters);
  useEffect(() => {
    setLive([]);
    const stop = subscribe(ACTIVITY_LIVE, { kinds: filters.kinds, flow: filters.flow }, {
      next: ({ activity }) => setLive((seen) => (seen.some((e) => e.id === activity.id) ? seen : [activity, ...seen].slice(0, limit))),
    });
    const off = onReconnect(() => {
      setLive([]);
      void query.refetch();
    });
    return () => {
      stop();
      off();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- resubscribe when the filters change
  }, [key, limit]);
  return (
    <Loaded query={query}>
      {({ activity }) => {
        const known = new Set(live.map((e) => e.id));
        const events = [...live, ...activity.nodes.filter((e) => !known.has(e.id))].slice(0, limit);
        if (events.length === 0) {
          return (
            <EmptyState icon={<IconList />} title="Nothing happened yet">
              Runs changing state, flows registered or archived, schedules switched, agents coming and going and alerts sent appear here as they happen.
            </EmptyState>
          );
        }
        return (
          <ul className={`activity-feed${compact ? " compact" : ""}`} data-testid="activity-feed">
            {events.map((event) => {
              const state = dotState(event);
              return (
                <li key={event.id} className="activity-item" data-testid="activity-item" data-kind={event.kind}>
                  <span className="activity-dot">{state ? <StateDot state={state} still /> : <span className="faint">•</span>}</span>
                  <span className="activity-message">
                    {event.flowRunId && event.kind !== "flow_run.deleted" ? <Link to={flowRunUrl(event.flowRunId)}>{event.message}</Link> : event.message}
                  </span>
                  {!compact && <span className="mono small faint activity-kind">{event.kind}</span>}
                  <span className="small muted nowrap" title={formatDateTime(event.occurred)}>{formatRelative(event.occurred)}</span>
                </li>
              );
            })}
          </ul>
        );
      }}
    </Loaded>
  );
}
