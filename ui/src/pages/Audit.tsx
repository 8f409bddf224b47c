/** The audit log: who did what to which object, newest first, with filters in the URL. */
import { useState } from "react";
import { actorName } from "../api/actors";
import { useQuery } from "../api/hooks";
import { API_KEYS, AUDIT_EVENTS, MEMBERS } from "../api/teamDocuments";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { IconList } from "../components/icons";
import { Card, PageHead } from "../components/Page";
import { Pager } from "../components/Pager";
import { useSearchParam } from "../lib/router";
import { formatDateTime, formatRelative } from "../lib/time";

const PAGE_SIZE = 50;
const OBJECT_TYPES = ["flow_run", "flow", "flow_group", "project", "agent", "secret", "automation", "api_key", "user", "team", "concurrency_limit", "member", "invitation"];
const ACTIONS = [
  "createFlowRun", "cancelFlowRun", "restartFlowRun", "deleteFlowRun", "registerFlow", "setScheduleActive", "createProject",
  "setSecret", "deleteSecret", "secretValue", "createAutomation", "updateAutomation", "deleteAutomation", "setFlowSla",
  "createApiKey", "revokeApiKey", "createServiceAccount", "inviteMember", "setMemberRole", "removeMember", "changePassword",
  "setConcurrencyLimit", "deleteConcurrencyLimit", "switchTeam",
];

/** `datetime-local` text <-> ISO (the URL keeps the local text people typed). */
function toIso(local: string | null): string | null {
  if (!local) return null;
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export default function Audit() {
  const [actor, setActor] = useSearchParam("actor");
  const [action, setAction] = useSearchParam("action");
  const [objectType, setObjectType] = useSearchParam("type");
  const [objectId, setObjectId] = useSearchParam("object");
  const [since, setSince] = useSearchParam("since");
  const [until, setUntil] = useSearchParam("until");
  // Machine traffic (heartbeats, claims, task states, log lines) is hidden unless asked for.
  const [traffic, setTraffic] = useSearchParam("traffic");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const members = useQuery(MEMBERS);
  const keys = useQuery(API_KEYS);
  const memberList = members.data?.members ?? [];
  const keyList = keys.data?.apiKeys ?? [];
  const filters = {
    actor: actor || null,
    action: action || null,
    objectType: objectType || null,
    objectId: objectId || null,
    since: toIso(since),
    until: toIso(until),
  };
  const machine = traffic === "machine" ? true : traffic === "all" ? null : false;
  const query = useQuery(AUDIT_EVENTS, { ...filters, machine, first: PAGE_SIZE, after: cursors[cursors.length - 1] });
  // A new filter starts from the first page.
  const filtered = (set: (v: string | null) => void) => (value: string | null) => {
    setCursors([null]);
    set(value);
  };
  const anyFilter = Object.values(filters).some((v) => v);

  return (
    <>
      <PageHead title="Audit log" subtitle="Every change made through the API: who, what, which object, when, and whether it worked." />
      <Card>
        <div className="filters" data-testid="audit-filters">
          <label className="field"><span className="small muted">Actor</span>
            <select className="select" aria-label="Actor" value={actor ?? ""} onChange={(e) => filtered(setActor)(e.target.value)}>
              <option value="">Anyone</option>
              {memberList.map((m) => <option key={m.userId} value={`user:${m.userId}`}>{m.email}</option>)}
              {keyList.map((k) => <option key={k.id} value={`api_key:${k.id}`}>key {k.name}</option>)}
              <option value="local">local (no login)</option>
              <option value="session">any browser session</option>
              <option value="api_key">any API key</option>
            </select>
          </label>
          <label className="field"><span className="small muted">Traffic</span>
            <select className="select" aria-label="Traffic" value={traffic ?? ""} onChange={(e) => filtered(setTraffic)(e.target.value || null)} data-testid="audit-traffic">
              <option value="">People and tools</option>
              <option value="machine">Machine traffic only</option>
              <option value="all">Everything</option>
            </select>
          </label>
          <label className="field"><span className="small muted">Action</span>
            <input className="input" list="audit-actions" aria-label="Action" placeholder="e.g. setSecret" defaultValue={action ?? ""}
              onBlur={(e) => filtered(setAction)(e.target.value.trim())} onKeyDown={(e) => e.key === "Enter" && filtered(setAction)(e.currentTarget.value.trim())} />
            <datalist id="audit-actions">{ACTIONS.map((a) => <option key={a} value={a} />)}</datalist>
          </label>
          <label className="field"><span className="small muted">Object type</span>
            <select className="select" aria-label="Object type" value={objectType ?? ""} onChange={(e) => filtered(setObjectType)(e.target.value)}>
              <option value="">Any</option>
              {OBJECT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
          <label className="field"><span className="small muted">Object id</span>
            <input className="input mono" aria-label="Object id" placeholder="id or name" defaultValue={objectId ?? ""}
              onBlur={(e) => filtered(setObjectId)(e.target.value.trim())} onKeyDown={(e) => e.key === "Enter" && filtered(setObjectId)(e.currentTarget.value.trim())} />
          </label>
          <label className="field"><span className="small muted">From</span>
            <input className="input" type="datetime-local" aria-label="From" value={since ?? ""} onChange={(e) => filtered(setSince)(e.target.value)} />
          </label>
          <label className="field"><span className="small muted">Until</span>
            <input className="input" type="datetime-local" aria-label="Until" value={until ?? ""} onChange={(e) => filtered(setUntil)(e.target.value)} />
          </label>
        </div>
      </Card>
      <div style={{ height: 16 }} />
      <Loaded query={query}>
        {({ auditEvents }) => (
          <Card flush testId="audit-table">
            {auditEvents.nodes.length === 0 ? (
              <EmptyState icon={<IconList />} title={anyFilter ? "Nothing matches these filters" : "Nothing recorded yet"}>
                {anyFilter ? "Widen the time range or clear a filter." : "Every mutation (runs started, secrets set, members invited…) appears here as it happens."}
                {!traffic && " Machine traffic (heartbeats, task states, log lines) is hidden: pick Traffic → Everything to see it."}
              </EmptyState>
            ) : (
              <>
                <table className="table">
                  <thead><tr><th>When</th><th>Actor</th><th>Action</th><th>Object</th><th>Result</th><th>Details</th></tr></thead>
                  <tbody>
                    {auditEvents.nodes.map((event) => (
                      <tr key={event.id}>
                        <td className="small nowrap" title={formatDateTime(event.occurred)}>{formatRelative(event.occurred)}</td>
                        <td className="small">{actorName(event.actor, memberList, keyList)}</td>
                        <td className="mono small">{event.action}</td>
                        <td className="mono small ellipsis" style={{ maxWidth: 320 }} title={event.objectId ?? undefined}>
                          {event.objectType ?? "—"}{event.objectId ? <span className="faint"> {event.objectId}</span> : null}
                        </td>
                        <td>{event.success ? <span className="tag ok-text">ok</span> : <span className="tag danger-text">{String(event.details?.error ?? "failed")}</span>}</td>
                        <td className="mono small faint ellipsis" style={{ maxWidth: 260 }}>{detailsText(event.details)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager count={auditEvents.totalCount} page={cursors.length} hasNext={auditEvents.pageInfo.hasNextPage}
                  onPrevious={() => setCursors(cursors.slice(0, -1))} onNext={() => setCursors([...cursors, auditEvents.pageInfo.endCursor])} />
              </>
            )}
          </Card>
        )}
      </Loaded>
    </>
  );
}

function detailsText(details: Record<string, unknown> | null): string {
  if (!details) return "";
  const rest = Object.entries(details).filter(([key]) => key !== "error");
  return rest.map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`).join(" ");
}
