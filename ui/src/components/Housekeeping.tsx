/**
 * Archive or delete a flow (every version, or the one shown) and delete a project: the
 * dialog reads what would go (versions, runs, runs in progress) before asking, and asks
 * for an explicit "delete them too" when runs are still in progress.
 */
import { useEffect, useState, type ReactNode } from "react";
import { request } from "../api/client";
import {
  ARCHIVE_FLOW_GROUP, DELETE_FLOW, DELETE_PROJECT_CHECKED, DELETION_PREVIEW, UNARCHIVE_FLOW_GROUP, type DeletionPreview,
} from "../api/housekeepingDocuments";
import type { Flow, Project } from "../api/types";
import { navigate } from "../lib/router";
import { toast } from "./Feedback";
import "../styles/housekeeping.css";

type Target = { flowGroupId: string } | { flowId: string } | { project: string };

function describe(preview: DeletionPreview): string {
  if (preview.kind === "version") return `version ${preview.version} of ${preview.name}`;
  if (preview.kind === "flow") return `${preview.name} (every version)`;
  return `project ${preview.name}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The confirmation dialog of one deletion: counts first, then the button. */
function DeleteDialog({ target, title, choice, onCancel, onDeleted, perform }: {
  target: Target; title: string; choice?: ReactNode; onCancel: () => void; onDeleted: () => void; perform: (force: boolean) => Promise<void>;
}) {
  const targetKey = JSON.stringify(target);
  const [preview, setPreview] = useState<DeletionPreview | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let alive = true;
    setPreview(null);
    request(DELETION_PREVIEW, JSON.parse(targetKey) as Target).then(
      (data) => alive && setPreview(data.deletionPreview),
      (error: unknown) => alive && setFailure(message(error)),
    );
    return () => {
      alive = false;
    };
  }, [targetKey]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  const go = async () => {
    setBusy(true);
    try {
      await perform(force);
      toast(`Deleted ${preview ? describe(preview) : title}`);
      onDeleted();
    } catch (error) {
      setBusy(false);
      setFailure(message(error));
    }
  };
  const blocked = !preview || (preview.runsInProgress > 0 && !force);
  return (
    <div className="overlay" onMouseDown={onCancel}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} onMouseDown={(e) => e.stopPropagation()} data-testid="delete-dialog">
        <h2>{title}</h2>
        {choice}
        {!preview && !failure && <p className="muted">Counting what goes with it…</p>}
        {preview && (
          <>
            <p style={{ margin: 0 }}>This deletes, for good:</p>
            <ul className="deletion-counts" data-testid="deletion-counts">
              {preview.kind === "project" && <li><strong>{preview.flows}</strong> flow(s)</li>}
              <li><strong>{preview.versions}</strong> version(s)</li>
              <li><strong data-testid="deletion-runs">{preview.runs}</strong> run(s), with their task runs and logs</li>
            </ul>
            {preview.kind !== "project" && <p className="small muted">To keep the runs, archive the flow instead.</p>}
            {preview.runsInProgress > 0 && (
              <div className="deletion-warning" role="alert">
                {preview.runsInProgress} run(s) are in progress.
                <label className="row small" style={{ marginTop: 6 }}>
                  <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="delete-force" />
                  Delete them too (their processes will stop reporting)
                </label>
              </div>
            )}
          </>
        )}
        {failure && <p className="danger-text" role="alert">{failure}</p>}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" className="btn" onClick={onCancel}>Keep it</button>
          <button type="button" className="btn btn-danger" disabled={blocked || busy} onClick={() => void go()} data-testid="delete-confirm">
            Delete{preview ? ` ${preview.runs} run(s)` : ""}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The flow page's housekeeping buttons: archive or unarchive, and delete. */
export function FlowHousekeeping({ flow, onChanged }: { flow: Flow; onChanged: () => void }) {
  const [deleting, setDeleting] = useState<"flow" | "version" | null>(null);
  const allArchived = flow.versions.length > 0 ? flow.versions.every((v) => v.archived) : flow.archived;
  const setArchived = async (archived: boolean) => {
    try {
      if (archived) await request(ARCHIVE_FLOW_GROUP, { id: flow.flowGroupId });
      else await request(UNARCHIVE_FLOW_GROUP, { id: flow.flowGroupId });
      toast(archived ? `${flow.name} archived: its runs are kept` : `${flow.name} unarchived`);
      onChanged();
    } catch (error) {
      toast(message(error), true);
    }
  };
  const target: Target = deleting === "version" ? { flowId: flow.id } : { flowGroupId: flow.flowGroupId };
  return (
    <>
      {allArchived ? (
        <button type="button" className="btn" onClick={() => void setArchived(false)} data-testid="unarchive-flow">Unarchive</button>
      ) : (
        <button type="button" className="btn" onClick={() => void setArchived(true)} data-testid="archive-flow"
          title="Hide it from lists, stop its schedule and refuse new runs; its runs are kept">Archive</button>
      )}
      <button type="button" className="btn btn-danger" onClick={() => setDeleting("flow")} data-testid="delete-flow">Delete…</button>
      {deleting && (
        <DeleteDialog
          target={target}
          title={deleting === "version" ? `Delete version ${flow.version} of ${flow.name}?` : `Delete ${flow.name}?`}
          choice={flow.versions.length > 1 && (
            <div className="row small" role="radiogroup" aria-label="What to delete" style={{ marginBottom: 8 }}>
              <label className="row"><input type="radio" name="delete-scope" checked={deleting === "flow"} onChange={() => setDeleting("flow")} data-testid="delete-scope-flow" /> Every version ({flow.versions.length})</label>
              <label className="row"><input type="radio" name="delete-scope" checked={deleting === "version"} onChange={() => setDeleting("version")} data-testid="delete-scope-version" /> Only version {flow.version}</label>
            </div>
          )}
          onCancel={() => setDeleting(null)}
          onDeleted={() => navigate("/flows")}
          perform={async (force) => {
            await request(DELETE_FLOW, { flowGroupId: null, flowId: null, ...target, force });
          }}
        />
      )}
    </>
  );
}

/** A project row's delete button, with the dialog. */
export function DeleteProjectButton({ project, onDeleted }: { project: Project; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-sm btn-danger" onClick={() => setOpen(true)} aria-label={`Delete project ${project.name}`} data-testid={`delete-project-${project.name}`}>
        Delete…
      </button>
      {open && (
        <DeleteDialog
          target={{ project: project.name }}
          title={`Delete project ${project.name}?`}
          onCancel={() => setOpen(false)}
          onDeleted={() => {
            setOpen(false);
            onDeleted();
          }}
          perform={async (force) => {
            await request(DELETE_PROJECT_CHECKED, { id: project.id, force });
          }}
        />
      )}
    </>
  );
}
