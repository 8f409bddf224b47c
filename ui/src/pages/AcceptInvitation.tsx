/** `/accept-invitation?token=...`: the link an invitation gives; a new person picks a password. */
import { useState, type FormEvent } from "react";
import { ApiError, request } from "../api/client";
import { identityChanged, login, useSession } from "../api/session";
import { ACCEPT_INVITATION } from "../api/teamDocuments";
import { navigate, useSearchParam } from "../lib/router";

export default function AcceptInvitation() {
  const [token] = useSearchParam("token");
  const session = useSession();
  const signedIn = session.status === "signed-in" && session.identity.authEnabled;
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return; // the form offers no submit button without one
    if (!signedIn) {
      if (password.length < 8) return setError("Choose a password of at least 8 characters.");
      if (password !== confirm) return setError("The two passwords differ.");
    }
    setBusy(true);
    setError(null);
    try {
      const { acceptInvitation } = await request(
        ACCEPT_INVITATION,
        signedIn ? { token } : { token, password, name: name.trim() || null },
      );
      if (signedIn) await identityChanged();
      else await login(acceptInvitation.user.email, password);
      navigate("/", { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError || failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card card" onSubmit={(e) => void submit(e)} data-testid="accept-form" noValidate>
        <div className="brand auth-brand">
          <img src="/favicon.svg" width={30} height={30} alt="" />
          Proctor
        </div>
        <h1>Join the team</h1>
        {!token ? (
          <div className="banner error" role="alert">This link has no invitation token: open the full link you were sent.</div>
        ) : signedIn ? (
          <p className="muted">Accept the invitation as {session.status === "signed-in" ? session.identity.user?.email : ""}.</p>
        ) : (
          <>
            <p className="muted">Choose a password for your new account. If you already have one, log in first and open this link again.</p>
            <div className="field">
              <label htmlFor="inv-name">Name <span className="type">optional</span></label>
              <input id="inv-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="inv-password">Password</label>
              <input id="inv-password" className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="inv-confirm">Password again</label>
              <input id="inv-confirm" className="input" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            </div>
          </>
        )}
        {error && <div className="banner error" role="alert" data-testid="accept-error">{error}</div>}
        {token && <button type="submit" className="btn btn-primary auth-submit" disabled={busy}>{busy ? "Joining…" : "Accept invitation"}</button>}
      </form>
    </div>
  );
}
