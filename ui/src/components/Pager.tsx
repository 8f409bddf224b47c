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
