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
import { useMorePages } from "../api/morePages";
import { ArtifactList } from "../components/Artifacts";
import { EmptyState } from "../components/Empty";
import { ErrorMessage } from "../components/ErrorView";
import { Card, PageHead } from "../components/Page";
import { LoadMore } from "../components/Pager";
import { Link, useSearchParam } from "../lib/router";
import { formatDateTime } from "../lib/time";
import { flowRunUrl } from "../routes";

const PAGE = 100;

export default function ArtifactsPage() {
  const [key] = useSearchParam("key");
  const [type, setType] = useSearchParam("type");
  const variables = { key: key || null, type: type || null, latestPerKey: !key, first: PAGE };
  // While pages after the first are shown, the first stays as it was read (a refresh
  // would shift the list under them).
  const [extended, setExtended] = useState(false);
  const query = useQuery(ARTIFACTS_PAGE, { ...variables, after: null }, { refreshMs: extended ? undefined : 15000 });
  const pages = useMorePages<Artifact>(
    query.data?.artifactsPage,
    async (after) => (await request(ARTIFACTS_PAGE, { ...variables, after })).artifactsPage,
    `${key ?? ""}\n${type ?? ""}`,
  );
  useEffect(() => setExtended(pages.extended), [pages.extended]);
  const artifacts = pages.items;
  const loader = (
    <LoadMore shown={artifacts.length} total={null} hasMore={pages.hasMore} loading={pages.loading} error={pages.error} onMore={() => void pages.loadMore()} />
  );
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
