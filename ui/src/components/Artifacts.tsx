/**
 * Artifacts (markdown, links, tables a task published) and a task run's result details.
 *
 * Markdown goes through `lib/markdown` (React elements only: no HTML is ever parsed), link
 * artifacts open only http(s) URLs, and table cells are shown as text.
 */
import { useEffect, useRef, useState } from "react";
import { RUN_ARTIFACTS_PAGE, TASK_RUN_OUTPUTS } from "../api/artifactDocuments";
import type { Artifact, ResultDetails } from "../api/artifactTypes";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { useMorePages } from "../api/morePages";
import { Link } from "../lib/router";
import { Markdown, SafeLink } from "../lib/markdown";
import { formatDateTime } from "../lib/time";
import { flowRunUrl, taskRunUrl } from "../routes";
import { EmptyState } from "./Empty";
import { ErrorMessage } from "./ErrorView";
import { Card } from "./Page";
import { LoadMore } from "./Pager";
import "../styles/artifacts.css";

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function ArtifactBody({ artifact }: { artifact: Artifact }) {
  const data = artifact.data ?? {};
  if (artifact.type === "markdown") return <Markdown text={data.markdown ?? ""} />;
  if (artifact.type === "link") {
    const href = data.link ?? "";
    return (
      <p className="artifact-link" style={{ margin: 0 }}>
        <SafeLink href={href}>{data.text || href}</SafeLink>
        {data.text && <span className="faint small mono"> {href}</span>}
      </p>
    );
  }
  if (artifact.type === "table") {
    const columns = data.columns ?? [];
    const rows = data.rows ?? [];
    return (
      <div className="table-wrap">
        <table className="table" data-testid="artifact-table">
          <thead><tr>{columns.map((c, i) => <th key={i}>{c}</th>)}</tr></thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>{columns.map((_, c) => <td key={c} className="mono small">{cellText(row[c])}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return <p className="muted small">Unknown artifact type {artifact.type}.</p>;
}

function Source({ artifact }: { artifact: Artifact }) {
  const index = artifact.mapIndex ?? -1;
  return (
    <span className="small muted">
      {artifact.flowName && <>{artifact.flowName} · </>}
      <Link to={flowRunUrl(artifact.flowRunId)}>{artifact.flowRunName ?? artifact.flowRunId.slice(0, 8)}</Link>
      {artifact.taskSlug && (
        <> · <Link className="mono" to={taskRunUrl(artifact.flowRunId, artifact.taskSlug, index)}>{index >= 0 ? `${artifact.taskSlug}[${index}]` : artifact.taskSlug}</Link></>
      )}
    </span>
  );
}

export function ArtifactView({ artifact, showSource = false }: { artifact: Artifact; showSource?: boolean }) {
  return (
    <article className="artifact" data-testid="artifact" data-artifact-type={artifact.type}>
      <header className="artifact-head">
        <span className="tag">{artifact.type}</span>
        {artifact.key ? <span className="mono">{artifact.key}</span> : <span className="faint small">no key</span>}
        <span className="grow" />
        {showSource && <Source artifact={artifact} />}
        <span className="faint small">{formatDateTime(artifact.updated)}</span>
      </header>
      {artifact.description && <p className="small muted artifact-description">{artifact.description}</p>}
      <ArtifactBody artifact={artifact} />
    </article>
  );
}

export function ArtifactList({ artifacts, showSource = false }: { artifacts: Artifact[]; showSource?: boolean }) {
  return (
    <div className="stack artifacts">
      {artifacts.map((artifact) => <ArtifactView key={artifact.id} artifact={artifact} showSource={showSource} />)}
    </div>
  );
}

const LIVE_REFRESH_MS = 5000;
const PUBLISH_HINT = 'from proctor.artifacts import create_markdown_artifact\n\ncreate_markdown_artifact("# Report", key="report")';

const RUN_PAGE = 100;

/** The Artifacts tab of a flow run, 100 at a time with "Load more" (a run may publish
 * thousands); the first page is re-read every few seconds while the run is going. */
export function RunArtifacts({ flowRunId, live = false }: { flowRunId: string; live?: boolean }) {
  const [extended, setExtended] = useState(false);
  const query = useQuery(RUN_ARTIFACTS_PAGE, { flowRunId, first: RUN_PAGE, after: null }, { refreshMs: live && !extended ? LIVE_REFRESH_MS : undefined });
  const firstPage = query.data?.artifactsPage;
  const pages = useMorePages<Artifact>(
    firstPage,
    async (after) => (await request(RUN_ARTIFACTS_PAGE, { flowRunId, first: RUN_PAGE, after })).artifactsPage,
    flowRunId,
  );
  useEffect(() => setExtended(pages.extended), [pages.extended]);
  if (query.error && !query.data) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (!firstPage) return <div className="skeleton" style={{ height: 160 }} />;
  const total = firstPage.totalCount ?? pages.items.length;
  return (
    <Card title="Artifacts" hint={`${total.toLocaleString()} published by this run's tasks, newest first`} testId="run-artifacts">
      {pages.items.length === 0 ? (
        <EmptyState title="No artifacts">Tasks publish markdown, links and tables with <code>create_markdown_artifact</code> and its siblings.</EmptyState>
      ) : (
        <>
          <ArtifactList artifacts={pages.items} showSource />
          <LoadMore shown={pages.items.length} total={firstPage.totalCount ?? null} hasMore={pages.hasMore} loading={pages.loading} error={pages.error} onMore={() => void pages.loadMore()} />
        </>
      )}
    </Card>
  );
}

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}

export function ResultCard({ result }: { result: ResultDetails | null }) {
  return (
    <Card title="Result" testId="result-card">
      {result === null ? (
        <p className="muted small" style={{ margin: 0 }}>Not persisted: give the flow or task a result store (<code>result=LocalResult(...)</code>) to keep it.</p>
      ) : (
        <>
          <dl className="kv">
            <dt>Location</dt><dd className="mono small" data-testid="result-location" style={{ wordBreak: "break-all" }}>{result.location}</dd>
            <dt>Size</dt><dd data-testid="result-size">{result.size === null ? "—" : formatBytes(result.size)}</dd>
            <dt>Format</dt><dd data-testid="result-format">{[result.serializer, result.resultType].filter(Boolean).join(" · ") || "—"}</dd>
          </dl>
          {result.preview !== null && <pre className="result-preview" data-testid="result-preview">{result.preview}</pre>}
          <p className="small muted" data-testid="result-note">{result.previewNote}</p>
          <pre className="result-snippet mono small" data-testid="result-snippet">{result.loadSnippet}</pre>
        </>
      )}
    </Card>
  );
}

/** A task run's artifacts and result, read in one request, and again when `state` (the
 * task run's state, kept live by its page) changes: they arrive with its states. */
export function TaskRunOutputs({ flowRunId, slug, mapIndex, state }: { flowRunId: string; slug: string; mapIndex: number; state: string }) {
  const query = useQuery(TASK_RUN_OUTPUTS, { flowRunId, taskSlug: slug, mapIndex });
  const seen = useRef(state);
  const { refetch } = query;
  useEffect(() => {
    if (seen.current === state) return;
    seen.current = state;
    void refetch();
  }, [state, refetch]);
  if (query.error && !query.data) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <div className="skeleton" style={{ height: 120 }} />;
  const { artifacts, result } = query.data.taskRun;
  return (
    <div className="stack task-outputs">
      <ResultCard result={result} />
      <Card title="Artifacts" hint={artifacts.length ? `${artifacts.length}, newest first` : undefined} testId="task-artifacts">
        {artifacts.length === 0 ? (
          <div className="small muted">
            <p style={{ marginTop: 0 }}>This task run published no artifacts. A task publishes one with:</p>
            <pre className="result-snippet mono small">{PUBLISH_HINT}</pre>
          </div>
        ) : (
          <ArtifactList artifacts={artifacts} />
        )}
      </Card>
    </div>
  );
}
