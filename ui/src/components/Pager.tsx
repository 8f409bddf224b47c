/** Previous / next through a cursor-paged list (the cursors are kept by the page). */
export function Pager({ count, page, hasNext, onPrevious, onNext }: { count: number | null; page: number; hasNext: boolean; onPrevious: () => void; onNext: () => void }) {
  return (
    <div className="toolbar" style={{ justifyContent: "space-between" }}>
      <span className="small muted">{count != null ? `${count.toLocaleString()} in all · ` : ""}page {page}</span>
      <div className="row">
        <button type="button" className="btn btn-sm" disabled={page <= 1} onClick={onPrevious}>Previous</button>
        <button type="button" className="btn btn-sm" disabled={!hasNext} onClick={onNext}>Next</button>
      </div>
    </div>
  );
}

/** "Load more" under a list that grows page by page; gone when everything is shown. */
export function LoadMore({ shown, total, hasMore, loading, error, onMore }: { shown: number; total: number | null; hasMore: boolean; loading: boolean; error: string | null; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <div className="toolbar" style={{ justifyContent: "center" }} data-testid="load-more">
      <span className="small muted">{total != null ? `${shown.toLocaleString()} of ${total.toLocaleString()}` : `${shown.toLocaleString()} shown`}</span>
      {error && <span className="small error">{error}</span>}
      <button type="button" className="btn btn-sm" disabled={loading} onClick={onMore}>{loading ? "Loading…" : "Load more"}</button>
    </div>
  );
}
