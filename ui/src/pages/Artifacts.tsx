/**
 * The Artifacts page (`/artifacts`): the newest artifact of every key, and (`?key=K`) one
 * key's history, newest first, each version rendered. Keyless artifacts live on their
 * runs' pages only. A page of 100, then "Load more" (cursor pages: nothing repeats or
 * is skipped while tasks publish).
 */
import { useEffect, useState } from "react";
import { ARTIFACTS_PAGE } from "../api/artifactDocuments";
import type { Artifact } from "../api/artifactTypes";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { ArtifactList } from "../components/Artifacts";
import { EmptyState } from "../components/Empty";
import { ErrorMessage } from "../components/ErrorView";
import { Card, PageHead } from "../components/Page";
import { Link, useSearchParam } from "../lib/router";
import { formatDateTime } from "../lib/time";
import { flowRunUrl } from "../routes";

const PAGE = 100;

export default function ArtifactsPage() {
  const [key] = useSearchParam("key");
  const [type, setType] = useSearchParam("type");
  const variables = { key: key || null, type: type || null, latestPerKey: !key, first: PAGE };
  // Pages after the first, loaded on demand; while there are some, the first page stays
  // as it was read (a refresh would shift the list under the loaded pages).
  const [more, setMore] = useState<{ artifacts: Artifact[]; after: string | null; loading: boolean; error: string | null } | null>(null);
  useEffect(() => setMore(null), [key, type]);
  const query = useQuery(ARTIFACTS_PAGE, { ...variables, after: null }, { refreshMs: more ? undefined : 15000 });
  const firstPage = query.data?.artifactsPage;
  const artifacts: Artifact[] = [...(firstPage?.nodes ?? []), ...(more?.artifacts ?? [])];
  const after = more ? more.after : firstPage?.pageInfo.hasNextPage ? firstPage.pageInfo.endCursor : null;
  const loadMore = async () => {
    const loaded = more?.artifacts ?? [];
    setMore({ artifacts: loaded, after, loading: true, error: null });
    try {
      const page = (await request(ARTIFACTS_PAGE, { ...variables, after })).artifactsPage;
      const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      setMore({ artifacts: [...loaded, ...page.nodes], after: next, loading: false, error: null });
    } catch (error) {
      setMore({ artifacts: loaded, after, loading: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
  const loader = after ? (
    <div className="toolbar" style={{ justifyContent: "center" }}>
      {more?.error && <span className="small error">{more.error}</span>}
      <button type="button" className="btn btn-sm" disabled={more?.loading} onClick={() => void loadMore()}>
        {more?.loading ? "Loading…" : "Load more"}
      </button>
    </div>
  ) : null;
  return (
    <>
      <PageHead
        crumbs={key ? [{ label: "Artifacts", to: "/artifacts" }] : []}
        title={key ? <span className="mono">{key}</span> : "Artifacts"}
        subtitle={key ? "Every version of this key, newest first." : "The newest artifact of each key your tasks published."}
        actions={
          <label className="row small">
            Type
            <select className="input" value={type ?? ""} onChange={(e) => setType(e.target.value || null)} aria-label="Artifact type">
              <option value="">all</option>
              <option value="markdown">markdown</option>
              <option value="link">link</option>
              <option value="table">table</option>
            </select>
          </label>
        }
      />
      {query.error && !query.data ? (
        <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <div className="skeleton" style={{ height: 240 }} />
      ) : artifacts.length === 0 ? (
        <Card>
          <EmptyState title="No artifacts yet">
            Tasks publish markdown, links and tables with <code>create_markdown_artifact</code>, <code>create_link_artifact</code> and{" "}
            <code>create_table_artifact</code> (from <code>proctor.artifacts</code>); give them a <code>key</code> to find them here.
          </EmptyState>
        </Card>
      ) : key ? (
        <>
          <ArtifactList artifacts={artifacts} showSource />
          {loader}
        </>
      ) : (
        <Card flush>
          <table className="table" data-testid="artifact-keys">
            <thead><tr><th>Key</th><th>Type</th><th>Flow</th><th>Run</th><th>Task</th><th>Updated</th></tr></thead>
            <tbody>
              {artifacts.map((a) => (
                <tr key={a.id}>
                  <td><Link className="mono" to={`/artifacts?key=${encodeURIComponent(a.key ?? "")}`}>{a.key}</Link></td>
                  <td><span className="tag">{a.type}</span></td>
                  <td>{a.flowName}</td>
                  <td><Link to={flowRunUrl(a.flowRunId, "artifacts")}>{a.flowRunName ?? a.flowRunId.slice(0, 8)}</Link></td>
                  <td className="mono small">{a.taskSlug ? (a.mapIndex != null && a.mapIndex >= 0 ? `${a.taskSlug}[${a.mapIndex}]` : a.taskSlug) : "—"}</td>
                  <td className="small muted">{formatDateTime(a.updated)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {loader}
        </Card>
      )}
    </>
  );
}
