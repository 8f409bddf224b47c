/** The login page: shown for any URL while auth is on and nobody is logged in. */
import { useState, type FormEvent } from "react";
import { login, LoginError, useSession } from "../api/session";

export default function Login() {
  const session = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = session.status === "anonymous" ? session.message : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (failure) {
      setError(failure instanceof LoginError ? failure.message : String(failure));
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card card" onSubmit={(e) => void submit(e)} data-testid="login-form" noValidate>
        <div className="brand auth-brand">
          <img src="/favicon.svg" width={30} height={30} alt="" />
          Proctor
        </div>
        <h1>Log in</h1>
        {expired && !error && <div className="banner warn" role="status">{expired}</div>}
        {error && <div className="banner error" role="alert" data-testid="login-error">{error}</div>}
        <div className="field">
          <label htmlFor="login-email">Email</label>
          <input id="login-email" className="input" type="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input id="login-password" className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-primary auth-submit" disabled={busy}>{busy ? "Logging in…" : "Log in"}</button>
        <p className="small faint">
          No account? Ask an owner or admin of your team for an invitation. The first owner is created on the server
          with <code>proctor server create-admin</code>.
        </p>
      </form>
    </div>
  );
}
