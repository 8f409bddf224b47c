import type { ReactNode } from "react";
import { ApiError } from "../api/client";
import type { QueryState } from "../api/hooks";
import { Link } from "../lib/router";

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

export function Unreachable({ onRetry }: { onRetry: () => void }) {
  return (
    <div className="error-page" data-testid="unreachable">
      <div className="big">⌁</div>
      <h1>Can’t reach the Proctor server</h1>
      <p className="muted">
        The API at <code>/graphql</code> did not answer. Is the server running? Start it with
        <code> proctor server start</code>, then retry.
      </p>
      <button type="button" className="btn btn-primary" onClick={onRetry}>Retry</button>
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
