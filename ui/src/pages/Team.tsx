/** Team settings: members and invitations, API keys, service accounts, run-history
 * retention (`?tab=`). */
import { useState, type FormEvent } from "react";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { useCan, useRole, useSession } from "../api/session";
import {
  API_KEYS, CREATE_API_KEY, CREATE_SERVICE_ACCOUNT, INVITATIONS, INVITE_MEMBER, MEMBERS, REMOVE_MEMBER, REVOKE_API_KEY, SET_MEMBER_ROLE,
} from "../api/teamDocuments";
import type { ApiKey, Member } from "../api/teamTypes";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { Confirm, toast } from "../components/Feedback";
import { IconKey, IconPlus, IconUsers } from "../components/icons";
import { errorText, OneTimeValue } from "../components/OneTime";
import { Card, PageHead, Tabs } from "../components/Page";
import { RetentionSettings } from "../components/RetentionSettings";
import { canManageMember, grantableRoles, roleLabel, SERVICE_ROLES, type Role } from "../lib/roles";
import { useSearchParam } from "../lib/router";
import { formatDateTime, formatRelative } from "../lib/time";
import { teamUrl } from "../routes";

const TABS = ["members", "keys", "service-accounts", "retention"] as const;
type Tab = (typeof TABS)[number];

export default function Team() {
  const [tabParam] = useSearchParam("tab");
  const tab: Tab = (TABS as readonly string[]).includes(tabParam ?? "") ? (tabParam as Tab) : "members";
  const session = useSession();
  const local = session.status === "signed-in" && !session.identity.authEnabled;
  const team = session.status === "signed-in" ? session.identity.currentTeam.name : "";
  return (
    <>
      <PageHead title="Team settings" subtitle={<>Who is in <strong>{team}</strong>, and the keys that act for it.</>} />
      {local && (
        <div className="banner warn" data-testid="local-mode">
          This server runs in local mode: nobody logs in and every request acts as the owner. Start it with
          <code> proctor server start --auth</code> to have members, roles and API keys.
        </div>
      )}
      <Tabs active={tab} hrefFor={(t) => teamUrl(t === "members" ? undefined : t)}
        tabs={[{ id: "members", label: "Members" }, { id: "keys", label: "API keys" }, { id: "service-accounts", label: "Service accounts" }, { id: "retention", label: "Run history" }]} />
      {tab === "members" && <MembersTab />}
      {tab === "keys" && <KeysTab service={false} />}
      {tab === "service-accounts" && <KeysTab service />}
      {tab === "retention" && <RetentionSettings />}
    </>
  );
}

function RoleSelect({ value, roles, onChange, label, disabled }: { value: string; roles: Role[]; onChange: (role: string) => void; label: string; disabled?: boolean }) {
  return (
    <select className="select" aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      {roles.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
    </select>
  );
}

function MembersTab() {
  const can = useCan();
  const role = useRole();
  const session = useSession();
  const me = session.status === "signed-in" ? session.identity.user?.id : undefined;
  const local = session.status === "signed-in" && !session.identity.authEnabled;
  const members = useQuery(MEMBERS);
  const invitations = useQuery(INVITATIONS, {}, { skip: !can.manageTeam });
  const [removing, setRemoving] = useState<Member | null>(null);
  const roles = grantableRoles(role);

  const setRole = async (member: Member, next: string) => {
    try {
      await request(SET_MEMBER_ROLE, { userId: member.userId, role: next });
      toast(`${member.email} is now ${roleLabel(next)}`);
    } catch (error) {
      toast(errorText(error), true);
    }
    await members.refetch();
  };
  const remove = async (member: Member) => {
    try {
      await request(REMOVE_MEMBER, { userId: member.userId });
      toast(`${member.email} removed`);
    } catch (error) {
      toast(errorText(error), true);
    }
    setRemoving(null);
    await members.refetch();
  };

  return (
    <div className="stack">
      {/* Local mode has no logins: an invitation could never be accepted. */}
      {can.manageTeam && !local && <InviteForm roles={roles} onInvited={() => void invitations.refetch()} />}
      <Card title="Members" flush testId="members">
        <Loaded query={members}>
          {({ members: list }) =>
            list.length === 0 ? (
              <EmptyState icon={<IconUsers />} title="No members yet" commands={["proctor server create-admin --email you@example.com"]}>
                In auth mode, the first owner is created on the server; they invite everyone else from this page.
              </EmptyState>
            ) : (
              <table className="table">
                <thead><tr><th>Member</th><th>Role</th><th>Joined</th>{can.manageTeam && <th />}</tr></thead>
                <tbody>
                  {list.map((m) => {
                    const manageable = canManageMember(role, m.role) && m.userId !== me;
                    return (
                      <tr key={m.userId} data-testid={`member-${m.email}`}>
                        <td className="nowrap"><div style={{ fontWeight: 600 }}>{m.name || m.email}</div>{m.name && <div className="small faint">{m.email}</div>}</td>
                        <td>
                          {manageable ? (
                            <RoleSelect label={`Role of ${m.email}`} value={m.role} roles={roles.includes(m.role as Role) ? roles : [m.role as Role, ...roles]} onChange={(r) => void setRole(m, r)} />
                          ) : (
                            <span className="tag">{roleLabel(m.role)}</span>
                          )}
                        </td>
                        <td className="muted small" title={formatDateTime(m.joined)}>{formatRelative(m.joined)}</td>
                        {can.manageTeam && (
                          <td className="num">
                            {manageable && <button type="button" className="btn btn-sm btn-danger" onClick={() => setRemoving(m)}>Remove</button>}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </Card>
      {can.manageTeam && (
        <Card title="Pending invitations" flush testId="invitations">
          <Loaded query={invitations}>
            {({ invitations: list }) =>
              list.length === 0 ? (
                <p className="muted small" style={{ padding: "0 18px 14px" }}>None: invite someone above; they get a link to join.</p>
              ) : (
                <table className="table">
                  <thead><tr><th>Email</th><th>Role</th><th>Expires</th></tr></thead>
                  <tbody>
                    {list.map((i) => (
                      <tr key={i.id}><td className="nowrap">{i.email}</td><td><span className="tag">{roleLabel(i.role)}</span></td><td className="muted small">{formatRelative(i.expires)}</td></tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          </Loaded>
        </Card>
      )}
      {removing && (
        <Confirm title={`Remove ${removing.email}?`} confirmLabel="Remove" danger onCancel={() => setRemoving(null)} onConfirm={() => void remove(removing)}>
          They lose access to this team at once, and their API keys of this team are revoked.
        </Confirm>
      )}
    </div>
  );
}

function InviteForm({ roles, onInvited }: { roles: Role[]; onInvited: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<string>("member");
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return setError("Enter the email address of the person to invite.");
    setError(null);
    try {
      const { inviteMember } = await request(INVITE_MEMBER, { email: email.trim(), role });
      setLink(inviteMember.url);
      setEmail("");
      onInvited();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <Card title="Invite someone" testId="invite">
      {link ? (
        <OneTimeValue label="Invitation link" value={link} hint="Send this link to the person: it lets them choose a password and join the team." onDone={() => setLink(null)} />
      ) : (
        <form className="row" onSubmit={(e) => void submit(e)} noValidate>
          <input className="input" style={{ width: 280 }} type="email" placeholder="name@example.com" aria-label="Email to invite" aria-invalid={error ? true : undefined} value={email} onChange={(e) => setEmail(e.target.value)} />
          <RoleSelect label="Role of the invited person" value={role} roles={roles} onChange={setRole} />
          <button type="submit" className="btn btn-primary"><IconPlus size={15} /> Invite</button>
          {error && <span className="danger-text small" role="alert">{error}</span>}
        </form>
      )}
    </Card>
  );
}

/** `datetime-local` value (local time) -> ISO, or null when empty. */
function expiryIso(value: string): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function KeysTab({ service }: { service: boolean }) {
  const can = useCan();
  const role = useRole();
  const query = useQuery(API_KEYS);
  const [name, setName] = useState("");
  const [keyRole, setKeyRole] = useState<string>(service ? "agent" : role ?? "member");
  const [expires, setExpires] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const roles = grantableRoles(role, service ? SERVICE_ROLES : undefined);
  const mayCreate = service ? can.manageTeam : can.self;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError(service ? "Name the service account (e.g. the agent's machine)." : "Name the key (e.g. laptop, CI).");
    const expiresAt = expiryIso(expires);
    if (expires && (!expiresAt || Date.parse(expiresAt) <= Date.now())) return setError("The expiry must be a time in the future.");
    setError(null);
    try {
      const variables = { name: name.trim(), role: keyRole, expiresAt };
      const created = service
        ? (await request(CREATE_SERVICE_ACCOUNT, variables)).createServiceAccount
        : (await request(CREATE_API_KEY, variables)).createApiKey;
      setMade(created.key);
      setName("");
      setExpires("");
      await query.refetch();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const revoke = async (key: ApiKey) => {
    try {
      await request(REVOKE_API_KEY, { id: key.id });
      toast(`Key ${key.name} revoked`);
    } catch (failure) {
      toast(errorText(failure), true);
    }
    setRevoking(null);
    await query.refetch();
  };

  return (
    <div className="stack">
      {mayCreate && (
        <Card title={service ? "New service account" : "New API key"} hint={service ? "for agents and CI: a key that belongs to no person" : "for the CLI, scripts and the Python client"} testId="new-key">
          {made ? (
            <OneTimeValue label={service ? "The service account's key" : "Your new API key"} value={made}
              hint={service ? `Start an agent with it: PROCTOR_API_KEY=${made.slice(0, 8)}… proctor agent start` : "Use it with: proctor login --key <key>, or PROCTOR_API_KEY."}
              onDone={() => setMade(null)} />
          ) : (
            <form className="row" onSubmit={(e) => void create(e)} noValidate>
              <input className="input" style={{ width: 220 }} placeholder={service ? "agent-gpu-1" : "laptop"} aria-label="Key name" value={name} onChange={(e) => setName(e.target.value)} />
              <RoleSelect label="Key role" value={keyRole} roles={roles} onChange={setKeyRole} />
              <label className="row small muted">Expires
                <input className="input" type="datetime-local" aria-label="Expires" value={expires} onChange={(e) => setExpires(e.target.value)} />
              </label>
              <button type="submit" className="btn btn-primary"><IconKey size={15} /> Create</button>
              {error && <span className="danger-text small" role="alert" data-testid="key-error">{error}</span>}
            </form>
          )}
        </Card>
      )}
      <Card title={service ? "Service accounts" : "API keys"} hint={service ? undefined : can.manageTeam ? "everyone's keys of this team" : "your keys"} flush testId="keys">
        <Loaded query={query}>
          {({ apiKeys }) => {
            const list = apiKeys.filter((k) => k.serviceAccount === service);
            if (list.length === 0) {
              return service ? (
                <EmptyState icon={<IconKey />} title="No service accounts" commands={["PROCTOR_API_KEY=pk_... proctor agent start"]}>
                  {can.manageTeam ? "Create one for each agent or CI job; its key is shown once." : "Owners and admins create service accounts for agents and CI."}
                </EmptyState>
              ) : (
                <EmptyState icon={<IconKey />} title="No API keys" commands={["proctor login --key pk_..."]}>
                  Create a key to use the CLI or the Python client against this server; it is shown once.
                </EmptyState>
              );
            }
            return (
              <table className="table">
                <thead><tr><th>Name</th><th>Key</th><th>Role</th>{!service && <th>Owner</th>}<th>Created</th><th>Expires</th><th>Last used</th><th /></tr></thead>
                <tbody>
                  {list.map((k) => {
                    const expired = k.expiresAt != null && Date.parse(k.expiresAt) <= Date.now();
                    return (
                      <tr key={k.id} data-testid={`key-${k.name}`} className={k.revoked || expired ? "dim" : undefined}>
                        <td style={{ fontWeight: 600 }}>{k.name}</td>
                        <td className="mono small">pk_{k.prefix}_…</td>
                        <td><span className="tag">{roleLabel(k.role)}</span></td>
                        {!service && <td className="small muted">{k.userEmail ?? "—"}</td>}
                        <td className="small muted" title={formatDateTime(k.created)}>{formatRelative(k.created)}</td>
                        <td className="small muted" title={formatDateTime(k.expiresAt)}>{k.expiresAt ? (expired ? "expired" : formatRelative(k.expiresAt)) : "never"}</td>
                        <td className="small muted" title={formatDateTime(k.lastUsed)}>{k.lastUsed ? formatRelative(k.lastUsed) : "never"}</td>
                        <td className="num">
                          {k.revoked ? <span className="tag">revoked</span> : (can.manageTeam || (!service && can.self)) && (
                            <button type="button" className="btn btn-sm btn-danger" onClick={() => setRevoking(k)}>Revoke</button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            );
          }}
        </Loaded>
      </Card>
      {revoking && (
        <Confirm title={`Revoke ${revoking.name}?`} confirmLabel="Revoke" danger onCancel={() => setRevoking(null)} onConfirm={() => void revoke(revoking)}>
          Anything using this key (CLI, agent, CI) is refused from now on. This cannot be undone.
        </Confirm>
      )}
    </div>
  );
}
