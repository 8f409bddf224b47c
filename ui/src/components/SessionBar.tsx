/** The sidebar's identity parts: the team switcher (top) and who is logged in (bottom). */
import { useState } from "react";
import { request } from "../api/client";
import { identityChanged, logout, type Identity } from "../api/session";
import { SWITCH_TEAM } from "../api/teamDocuments";
import { Link, navigate } from "../lib/router";
import { roleLabel } from "../lib/roles";
import { toast } from "./Feedback";
import { IconLogout } from "./icons";

export function TeamSwitcher({ identity }: { identity: Identity }) {
  const [busy, setBusy] = useState(false);
  const { teams, currentTeam } = identity;
  const switchTo = async (teamId: string) => {
    if (teamId === currentTeam.id) return;
    setBusy(true);
    try {
      await request(SWITCH_TEAM, { teamId });
      await identityChanged();
      const team = teams.find((t) => t.id === teamId);
      toast(`Now working in ${team?.name ?? "the team"}`);
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    } finally {
      setBusy(false);
    }
  };
  if (!identity.authEnabled || teams.length <= 1) {
    return (
      <div className="team-switch single" data-testid="current-team" title="Your team">
        <span className="team-avatar">{currentTeam.name.slice(0, 1).toUpperCase()}</span>
        <span className="ellipsis">{currentTeam.name}</span>
      </div>
    );
  }
  return (
    <label className="team-switch" data-testid="current-team">
      <span className="team-avatar">{currentTeam.name.slice(0, 1).toUpperCase()}</span>
      <span className="sr-only">Team</span>
      <select className="select" aria-label="Team" value={currentTeam.id} disabled={busy} onChange={(e) => void switchTo(e.target.value)} data-testid="team-switcher">
        {teams.map((team) => (
          <option key={team.id} value={team.id}>{team.name}</option>
        ))}
      </select>
    </label>
  );
}

export function UserBox({ identity }: { identity: Identity }) {
  const out = async () => {
    await logout();
    navigate("/login", { replace: true });
  };
  if (!identity.authEnabled) {
    return (
      <div className="user-box" data-testid="user-box" title="Started without --auth: nobody logs in, and you act as the owner.">
        <div className="grow">
          <div className="who">Local mode</div>
          <div className="small faint">no login · owner</div>
        </div>
      </div>
    );
  }
  const who = identity.user?.name || identity.user?.email || identity.apiKey?.name || identity.kind;
  return (
    <div className="user-box" data-testid="user-box">
      <div className="grow">
        <Link to="/account" className="who ellipsis" title={identity.user?.email ?? undefined}>{who}</Link>
        <div className="small faint" data-testid="my-role">{roleLabel(identity.role)}</div>
      </div>
      <button type="button" className="btn btn-sm btn-ghost" onClick={() => void out()} title="Log out" aria-label="Log out" data-testid="logout">
        <IconLogout size={16} />
      </button>
    </div>
  );
}
