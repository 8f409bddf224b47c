/** The delivery log: every notification with each attempt's status, error and time. */
import { Fragment, useState } from "react";
import { AUTOMATIONS, NOTIFICATIONS } from "../api/alertingDocuments";
import type { Notification } from "../api/alertingTypes";
import { useQuery } from "../api/hooks";
import { Attempts, DeliveryStatus } from "../components/Delivery";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { IconChevron, IconInbox } from "../components/icons";
import { Card, PageHead } from "../components/Page";
import { Pager } from "../components/Pager";
import { ACTION_LABELS, type ActionType } from "../lib/automationForm";
import { Link, useSearchParam } from "../lib/router";
import { formatDateTime, formatRelative } from "../lib/time";
import { flowRunUrl, ROUTES } from "../routes";

const PAGE_SIZE = 50;
const STATUSES = ["pending", "delivering", "delivered", "failed", "skipped"];

function eventText(n: Notification): string {
  const kind = typeof n.event.kind === "string" ? n.event.kind : n.triggerKey.split(":")[0];
  const title = typeof n.event.title === "string" ? n.event.title : null;
  return title ?? kind;
}

export default function Notifications() {
  const [automation, setAutomation] = useSearchParam("automation");
  const [status, setStatus] = useSearchParam("status");
  const [since, setSince] = useSearchParam("since");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const automations = useQuery(AUTOMATIONS);
  const sinceIso = since && !Number.isNaN(Date.parse(since)) ? new Date(Date.parse(since)).toISOString() : null;
  const query = useQuery(
    NOTIFICATIONS,
    { automationId: automation || null, status: status || null, since: sinceIso, first: PAGE_SIZE, after: cursors[cursors.length - 1] },
    { refreshMs: 15_000 },
  );
  const filtered = (set: (v: string | null) => void) => (value: string) => {
    setCursors([null]);
    set(value || null);
  };
  const toggle = (id: string) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  return (
    <>
      <PageHead crumbs={[{ label: "Automations", to: ROUTES.automations }]} title="Delivery log"
        subtitle="Each action of each trigger event is one notification, retried with backoff until it is delivered or gives up." />
      <Card>
        <div className="filters">
          <label className="field"><span className="small muted">Automation</span>
            <select className="select" aria-label="Automation" value={automation ?? ""} onChange={(e) => filtered(setAutomation)(e.target.value)}>
              <option value="">All</option>
              {automations.data?.automations.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </label>
          <label className="field"><span className="small muted">Status</span>
            <select className="select" aria-label="Status" value={status ?? ""} onChange={(e) => filtered(setStatus)(e.target.value)}>
              <option value="">Any</option>
              {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <label className="field"><span className="small muted">Since</span>
            <input className="input" type="datetime-local" aria-label="Since" value={since ?? ""} onChange={(e) => filtered(setSince)(e.target.value)} />
          </label>
        </div>
      </Card>
      <div style={{ height: 16 }} />
      <Loaded query={query}>
        {({ notifications }) => (
          <Card flush testId="deliveries">
            {notifications.nodes.length === 0 ? (
              <EmptyState icon={<IconInbox />} title="No deliveries yet">
                Notifications appear here when an automation fires, or when you press “Send test” on the <Link to={ROUTES.automations}>automations</Link> page.
              </EmptyState>
            ) : (
              <>
                <table className="table">
                  <thead><tr><th /><th>When</th><th>Automation</th><th>Action</th><th>Event</th><th>Status</th><th className="num">Attempts</th><th>Last error</th></tr></thead>
                  <tbody>
                    {notifications.nodes.map((n) => (
                      <Fragment key={n.id}>
                        <tr className="clickable" onClick={() => toggle(n.id)} data-testid="delivery-row" aria-expanded={open.has(n.id)}>
                          <td style={{ width: 28 }}><span className={`chev-icon${open.has(n.id) ? " open" : ""}`}><IconChevron size={14} /></span></td>
                          <td className="small nowrap" title={formatDateTime(n.created)}>{formatRelative(n.created)}</td>
                          <td>{n.automationName}{n.test && <span className="tag" style={{ marginLeft: 6 }}>test</span>}</td>
                          <td className="small">{ACTION_LABELS[n.actionType as ActionType] ?? n.actionType}</td>
                          <td className="small">
                            {n.flowRunId && !n.test ? <Link to={flowRunUrl(n.flowRunId)} onClick={(e) => e.stopPropagation()}>{eventText(n)}</Link> : eventText(n)}
                          </td>
                          <td><DeliveryStatus status={n.status} /></td>
                          <td className="num">{n.attemptCount}</td>
                          <td className="small danger-text ellipsis" style={{ maxWidth: 280 }} title={n.lastError ?? undefined}>{n.lastError ?? ""}</td>
                        </tr>
                        {open.has(n.id) && (
                          <tr className="expanded"><td /><td colSpan={7}><Attempts notification={n} /></td></tr>
                        )}
                      </Fragment>
                    ))}
                  </tbody>
                </table>
                <Pager count={notifications.totalCount} page={cursors.length} hasNext={notifications.pageInfo.hasNextPage}
                  onPrevious={() => setCursors(cursors.slice(0, -1))} onNext={() => setCursors([...cursors, notifications.pageInfo.endCursor])} />
              </>
            )}
          </Card>
        )}
      </Loaded>
    </>
  );
}
