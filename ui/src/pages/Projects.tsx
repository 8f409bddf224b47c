import { useState, type FormEvent } from "react";
import { request } from "../api/client";
import { CREATE_PROJECT, PROJECTS } from "../api/documents";
import { useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import { EmptyState } from "../components/Empty";
import { Loaded } from "../components/ErrorView";
import { toast } from "../components/Feedback";
import { DeleteProjectButton } from "../components/Housekeeping";
import { IconPlus, IconProjects } from "../components/icons";
import { Card, PageHead } from "../components/Page";
import { Link } from "../lib/router";
import { formatRelative } from "../lib/time";

export default function Projects() {
  const query = useQuery(PROJECTS);
  const can = useCan();
  const [name, setName] = useState("");
  const [adding, setAdding] = useState(false);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    try {
      await request(CREATE_PROJECT, { name: name.trim() });
      toast(`Project ${name.trim()} created`);
      setName("");
      setAdding(false);
      await query.refetch();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    }
  };
  return (
    <>
      <PageHead title="Projects" subtitle="Folders that group flows."
        actions={can.editFlows && <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}><IconPlus size={15} /> New project</button>} />
      {adding && (
        <Card>
          <form className="row" onSubmit={create}>
            <input className="input" autoFocus placeholder="Project name" value={name} onChange={(e) => setName(e.target.value)} aria-label="Project name" />
            <button type="submit" className="btn btn-primary">Create</button>
            <button type="button" className="btn" onClick={() => setAdding(false)}>Cancel</button>
          </form>
        </Card>
      )}
      <div style={{ height: adding ? 16 : 0 }} />
      <Loaded query={query}>
        {({ projects }) => (
          <Card flush>
            {projects.length === 0 ? (
              <EmptyState icon={<IconProjects />} title="No projects yet" commands={["proctor register flows.py --project analytics"]}>
                Registering a flow into a project creates it{can.editFlows ? ", or create one here" : ""}.
              </EmptyState>
            ) : (
              <table className="table" data-testid="projects-table">
                <thead><tr><th>Project</th><th>Description</th><th className="num">Flows</th><th>Created</th>{can.editFlows && <th><span className="sr-only">Actions</span></th>}</tr></thead>
                <tbody>
                  {projects.map((p) => (
                    <tr key={p.id}>
                      <td><Link to={`/flows?project=${encodeURIComponent(p.name)}`} style={{ fontWeight: 600 }}>{p.name}</Link></td>
                      <td className="muted">{p.description ?? ""}</td>
                      <td className="num">{p.flowCount}</td>
                      <td className="muted small">{formatRelative(p.created)}</td>
                      {can.editFlows && <td className="nowrap" style={{ textAlign: "right" }}><DeleteProjectButton project={p} onDeleted={() => void query.refetch()} /></td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        )}
      </Loaded>
    </>
  );
}
