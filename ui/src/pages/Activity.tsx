/** The activity feed: what happened on the server, newest first, live, filtered (in the URL). */
import { useState } from "react";
import { ACTIVITY_FAMILIES } from "../api/housekeepingDocuments";
import { ActivityFeed } from "../components/ActivityFeed";
import { Card, PageHead } from "../components/Page";
import { useSearchParam } from "../lib/router";

const LIMIT = 100;

/** `datetime-local` text -> ISO (the URL keeps the local text people typed). */
function toIso(local: string | null): string | null {
  if (!local) return null;
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export default function Activity() {
  const [kind, setKind] = useSearchParam("kind");
  const [flow, setFlow] = useSearchParam("flow");
  const [since, setSince] = useSearchParam("since");
  const [flowText, setFlowText] = useState(flow ?? "");
  const filters = { kinds: kind ? [kind] : null, flow: flow || null, since: toIso(since) };
  return (
    <>
      <PageHead title="Activity" subtitle="What happened on the server, as it happens: run states, registrations, archives and deletions, schedules, agents, alerts." />
      <Card>
        <div className="filters" data-testid="activity-filters">
          <label className="field"><span className="small muted">Kind</span>
            <select className="select" aria-label="Kind" value={kind ?? ""} onChange={(e) => setKind(e.target.value || null)}>
              <option value="">Everything</option>
              {ACTIVITY_FAMILIES.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
            </select>
          </label>
          <label className="field"><span className="small muted">Flow</span>
            <input className="input" aria-label="Flow" placeholder="flow name" value={flowText} onChange={(e) => setFlowText(e.target.value)}
              onBlur={() => setFlow(flowText.trim() || null)} onKeyDown={(e) => e.key === "Enter" && setFlow(flowText.trim() || null)} />
          </label>
          <label className="field"><span className="small muted">Since</span>
            <input className="input" type="datetime-local" aria-label="Since" value={since ?? ""} onChange={(e) => setSince(e.target.value || null)} />
          </label>
        </div>
      </Card>
      <div style={{ height: 16 }} />
      <Card flush testId="activity-page">
        <ActivityFeed filters={filters} limit={LIMIT} />
      </Card>
    </>
  );
}
