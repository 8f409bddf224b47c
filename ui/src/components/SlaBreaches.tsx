/** The dashboard's SLA breaches of the last day: which flow, what kind, which run. */
import { SLA_BREACHES } from "../api/alertingDocuments";
import { useQuery } from "../api/hooks";
import { SLA_KIND_LABELS } from "../lib/automationForm";
import { Link } from "../lib/router";
import { formatDuration, formatRelative } from "../lib/time";
import { flowRunUrl } from "../routes";
import { EmptyState } from "./Empty";
import { IconClock } from "./icons";
import { Card } from "./Page";

export function SlaBreachesCard({ since, now }: { since: string; now: number }) {
  // Breaches are found by the SLA watcher, not announced to the UI: re-read every 30 s.
  const query = useQuery(SLA_BREACHES, { since, first: 8 }, { refreshMs: 30_000 });
  const breaches = query.data?.slaBreaches;
  return (
    <Card title="SLA breaches" hint={breaches?.totalCount ? `${breaches.totalCount} in 24 h` : "last 24 hours"} flush testId="sla-breaches">
      {!breaches ? (
        query.error ? <p className="small muted" style={{ padding: "0 18px 14px" }}>Could not read SLA breaches.</p> : <div className="skeleton" style={{ height: 60, margin: "0 18px 14px" }} />
      ) : breaches.nodes.length === 0 ? (
        <EmptyState icon={<IconClock />} title="No SLA breaches">Runs that start late, run too long or miss their schedule appear here. Set a flow’s service levels on its page.</EmptyState>
      ) : (
        <ul className="list">
          {breaches.nodes.map((b) => (
            <li key={b.id}>
              <span className="tag danger-text">{SLA_KIND_LABELS[b.kind] ?? b.kind}</span>
              <div className="grow">
                <Link to={b.flowRunId ? flowRunUrl(b.flowRunId) : `/flows?q=${encodeURIComponent(b.flowName)}`} className="title">{b.flowName}</Link>
                <div className="small faint ellipsis" title={b.message ?? undefined}>{b.message ?? `threshold ${formatDuration(b.thresholdSeconds * 1000)}`}</div>
              </div>
              <span className="small muted nowrap">{formatRelative(b.detected, now)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
