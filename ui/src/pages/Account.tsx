/** Your account: who you are, your teams (create one), your password. */
import { useState, type FormEvent } from "react";
import { request } from "../api/client";
import { identityChanged, useSession } from "../api/session";
import { CHANGE_PASSWORD, CREATE_TEAM, SWITCH_TEAM } from "../api/teamDocuments";
import { toast } from "../components/Feedback";
import { errorText } from "../components/OneTime";
import { Card, PageHead } from "../components/Page";
import { roleLabel } from "../lib/roles";

const MIN_PASSWORD = 8;

export default function Account() {
  const session = useSession();
  if (session.status !== "signed-in") return null;
  const { identity } = session;
  if (!identity.authEnabled) {
    return (
      <>
        <PageHead title="Account" />
        <div className="banner warn">Local mode: there are no accounts. Start the server with <code>--auth</code> to log in.</div>
      </>
    );
  }
  return (
    <>
      <PageHead title="Account" subtitle={identity.user?.email ?? identity.apiKey?.name ?? identity.kind} />
      <div className="grid grid-2">
        <Card title="Your teams" testId="my-teams">
          <ul className="list" style={{ margin: "0 -18px" }}>
            {identity.teams.map((team) => (
              <li key={team.id}>
                <div className="grow"><span className="title">{team.name}</span> <span className="small faint mono">{team.slug}</span></div>
                <span className="tag">{roleLabel(team.role)}</span>
                {team.id === identity.currentTeam.id && <span className="small muted">current</span>}
              </li>
            ))}
          </ul>
          <CreateTeam />
        </Card>
        {identity.user && <ChangePassword />}
      </div>
    </>
  );
}

function CreateTeam() {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError("Name the team.");
    setError(null);
    try {
      const { createTeam } = await request(CREATE_TEAM, { name: name.trim() });
      await request(SWITCH_TEAM, { teamId: createTeam.id });
      await identityChanged();
      toast(`Team ${createTeam.name} created; you own it`);
      setName("");
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <form className="row" style={{ marginTop: 14 }} onSubmit={(e) => void submit(e)} noValidate>
      <input className="input" placeholder="New team name" aria-label="New team name" value={name} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="btn">Create team</button>
      {error && <span className="danger-text small" role="alert">{error}</span>}
    </form>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!current) return setError("Enter your current password.");
    if (next.length < MIN_PASSWORD) return setError(`The new password needs at least ${MIN_PASSWORD} characters.`);
    if (next !== again) return setError("The two new passwords differ.");
    setBusy(true);
    setError(null);
    try {
      await request(CHANGE_PASSWORD, { currentPassword: current, newPassword: next });
      toast("Password changed; your other sessions were logged out");
      setCurrent("");
      setNext("");
      setAgain("");
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Change password" testId="change-password">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field"><label htmlFor="pw-current">Current password</label>
          <input id="pw-current" className="input" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} /></div>
        <div className="field"><label htmlFor="pw-new">New password</label>
          <input id="pw-new" className="input" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} /></div>
        <div className="field"><label htmlFor="pw-again">New password again</label>
          <input id="pw-again" className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} /></div>
        {error && <div className="banner error" role="alert">{error}</div>}
        <div><button type="submit" className="btn btn-primary" disabled={busy}>Change password</button></div>
      </form>
    </Card>
  );
}
