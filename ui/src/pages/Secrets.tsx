/** Secrets: names and history only. A value goes to the server and is never shown again. */
import { useRef, useState, type FormEvent } from "react";
import { useActorNames } from "../api/actors";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import { DELETE_SECRET, SECRETS, SET_SECRET } from "../api/teamDocuments";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { Confirm, toast } from "../components/Feedback";
import { IconLock, IconPlus } from "../components/icons";
import { errorText } from "../components/OneTime";
import { Card, PageHead } from "../components/Page";
import { secretNameProblem } from "../lib/validation";
import { formatDateTime, formatRelative } from "../lib/time";

export default function Secrets() {
  const can = useCan();
  const query = useQuery(SECRETS);
  const actor = useActorNames();
  const [editing, setEditing] = useState<{ name: string; isNew: boolean } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const remove = async (name: string) => {
    try {
      await request(DELETE_SECRET, { name });
      toast(`Secret ${name} deleted`);
    } catch (error) {
      toast(errorText(error), true);
    }
    setDeleting(null);
    await query.refetch();
  };

  return (
    <>
      <PageHead title="Secrets" subtitle="Values your flows read at run time with Secret(&quot;NAME&quot;).get(): encrypted on the server, never shown again."
        actions={can.editSecrets && <button type="button" className="btn btn-primary" onClick={() => setEditing({ name: "", isNew: true })} data-testid="new-secret"><IconPlus size={15} /> New secret</button>} />
      {editing && (
        <SecretForm key={editing.name} initialName={editing.name} isNew={editing.isNew} onClose={() => setEditing(null)}
          onSaved={async () => { setEditing(null); await query.refetch(); }} />
      )}
      <Loaded query={query}>
        {({ secrets }) => (
          <Card flush>
            {secrets.length === 0 ? (
              <EmptyState icon={<IconLock />} title="No secrets yet" commands={['printf %s "$TOKEN" | proctor secrets set API_TOKEN']}>
                {can.editSecrets ? "Add one with “New secret”, or from a shell:" : "Owners and admins set secrets here or from a shell:"}
              </EmptyState>
            ) : (
              <table className="table" data-testid="secrets-table">
                <thead><tr><th>Name</th><th>Value</th><th>Updated</th><th>By</th><th>Created</th>{can.editSecrets && <th />}</tr></thead>
                <tbody>
                  {secrets.map((s) => (
                    <tr key={s.name} data-testid={`secret-${s.name}`}>
                      <td className="mono" style={{ fontWeight: 600 }}>{s.name}</td>
                      <td className="faint mono small" aria-label="hidden value">••••••••</td>
                      <td className="small muted" title={formatDateTime(s.updated)}>{formatRelative(s.updated)}</td>
                      <td className="small muted">{actor(s.updatedBy)}</td>
                      <td className="small muted" title={formatDateTime(s.created)}>{formatRelative(s.created)} · {actor(s.createdBy)}</td>
                      {can.editSecrets && (
                        <td className="num nowrap">
                          <button type="button" className="btn btn-sm" onClick={() => setEditing({ name: s.name, isNew: false })}>Replace value</button>{" "}
                          <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(s.name)}>Delete</button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        )}
      </Loaded>
      {deleting && (
        <Confirm title={`Delete ${deleting}?`} confirmLabel="Delete" danger onCancel={() => setDeleting(null)} onConfirm={() => void remove(deleting)}>
          Runs that read this secret fail from now on, until it is set again.
        </Confirm>
      )}
    </>
  );
}

function SecretForm({ initialName, isNew, onClose, onSaved }: { initialName: string; isNew: boolean; onClose: () => void; onSaved: () => Promise<void> }) {
  const [name, setName] = useState(initialName);
  // The value lives in the input only: never in state that outlives the form, never echoed.
  const valueRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = secretNameProblem(name);
    if (problem) return setError(problem);
    const value = valueRef.current?.value ?? "";
    if (!value) return setError("Enter the value.");
    setBusy(true);
    setError(null);
    try {
      await request(SET_SECRET, { name: name.trim(), value });
      if (valueRef.current) valueRef.current.value = "";
      toast(`Secret ${name.trim()} saved`);
      await onSaved();
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  };
  return (
    <Card title={isNew ? "New secret" : `Replace the value of ${initialName}`} testId="secret-form">
      <form className="row" onSubmit={(e) => void submit(e)} noValidate autoComplete="off">
        <input className="input mono" style={{ width: 240 }} placeholder="NAME" aria-label="Secret name" value={name} readOnly={!isNew} onChange={(e) => setName(e.target.value)} />
        <input ref={valueRef} className="input" style={{ width: 320 }} type="password" placeholder="value" aria-label="Secret value" autoComplete="new-password" spellCheck={false} />
        <button type="submit" className="btn btn-primary" disabled={busy}>Save</button>
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
        {error && <span className="danger-text small" role="alert" data-testid="secret-error">{error}</span>}
      </form>
    </Card>
  );
}
