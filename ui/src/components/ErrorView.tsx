import { useEffect, useRef, type ReactNode } from "react";
import { ApiError } from "../api/client";
import type { QueryState } from "../api/hooks";
import { onLiveStatus } from "../api/live";
import { Link } from "../lib/router";

const HEALTH_PATH = "/health";
const PROBE_FIRST_MS = 1000;
const PROBE_MAX_MS = 5000;

export function NotFound({ what = "page" }: { what?: string }) {
  return (
    <div className="error-page" data-testid="not-found">
      <div className="big">404</div>
      <h1>This {what} does not exist</h1>
      <p className="muted">It may have been deleted, or the link is mistyped.</p>
      <div className="row" style={{ justifyContent: "center" }}>
        <Link className="btn btn-primary" to="/">Go to the dashboard</Link>
        <Link className="btn" to="/flows">Browse flows</Link>
      </div>
    </div>
  );
}

/**
 * The server did not answer. The view recovers by itself once the server is back: it
 * asks `/health` with a capped backoff, and retries as soon as the live link reconnects,
 * so a page opened during a restart never waits for a click (the button stays for the
 * impatient).
 */
export function Unreachable({ onRetry }: { onRetry: () => void }) {
  const retry = useRef(onRetry);
  retry.current = onRetry;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const probe = (delay: number) => {
      timer = setTimeout(async () => {
        let up = false;
        try {
          up = (await fetch(HEALTH_PATH, { cache: "no-store" })).ok;
        } catch {
          up = false;
        }
        if (stopped) return;
        if (up) retry.current();
        // Still mounted after a retry: the retry failed too; keep asking.
        probe(up ? PROBE_FIRST_MS : Math.min(PROBE_MAX_MS, delay * 1.5));
      }, delay);
    };
    probe(PROBE_FIRST_MS);
    const off = onLiveStatus((status) => {
      if (status === "live" && !stopped) retry.current();
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      off();
    };
  }, []);
  return (
    <div className="error-page" data-testid="unreachable">
      <div className="big">⌁</div>
      <h1>Can’t reach the Proctor server</h1>
      <p className="muted">
        The API at <code>/graphql</code> did not answer. Is the server running? Start it with
        <code> proctor server start</code>. This page comes back by itself once the server answers.
      </p>
      <p className="small faint" data-testid="auto-retry">Trying again by itself…</p>
      <button type="button" className="btn btn-primary" onClick={onRetry}>Retry now</button>
    </div>
  );
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof ApiError && error.isNotFound) return <NotFound what="item" />;
  if (error instanceof ApiError && error.isUnreachable && onRetry) return <Unreachable onRetry={onRetry} />;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError && error.isForbidden) {
    return (
      <div className="banner error" role="alert" data-testid="forbidden">
        <span style={{ flex: 1 }}><strong>Not allowed.</strong> {message} Ask an owner or admin of the team if you need this.</span>
      </div>
    );
  }
  return (
    <div className="banner error" role="alert">
      <span style={{ flex: 1 }}>{message}</span>
      {onRetry && <button type="button" className="btn btn-sm" onClick={onRetry}>Retry</button>}
    </div>
  );
}

/** Render a query's data, or its loading skeleton, or its error (404, unreachable...). */
export function Loaded<T>({ query, children, skeleton }: { query: QueryState<T>; children: (data: T) => ReactNode; skeleton?: ReactNode }) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  return <>{skeleton ?? <div className="skeleton" style={{ height: 160 }} />}</>;
}
