/** The Runs page's filter controls; every value lives in the URL (lib/runsQuery). */
import { useEffect, useState } from "react";
import { useQuery } from "../api/hooks";
import { RUNS_PAGE_CHOICES } from "../api/runsDocuments";
import { FAMILIES } from "../lib/states";
import { IconSearch } from "./icons";

const FILTERABLE = FAMILIES.filter((f) => f !== "Finished");

export function RunsFilters({ params, set }: { params: URLSearchParams; set: (updates: Record<string, string | null>, push?: boolean) => void }) {
  const choices = useQuery(RUNS_PAGE_CHOICES);
  const flowNames = [...new Set(choices.data?.flows.nodes.map((f) => f.name) ?? [])].sort();
  const states = (params.get("state") ?? "").split(",").filter(Boolean);
  const q = params.get("q") ?? "";
  const [text, setText] = useState(q);
  const [labels, setLabels] = useState(params.get("label") ?? "");
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    // Typing replaces the URL (one history entry per search, not per key).
    const timer = setTimeout(() => text !== q && set({ q: text || null }), 300);
    return () => clearTimeout(timer);
  }, [text, q, set]);

  const toggleState = (family: string) => {
    const next = states.includes(family) ? states.filter((s) => s !== family) : [...states, family];
    set({ state: next.join(",") || null }, true);
  };
  const select = (name: string, label: string, options: { value: string; label: string }[]) => (
    <select className="select" aria-label={label} value={params.get(name) ?? ""} onChange={(e) => set({ [name]: e.target.value || null }, true)} data-testid={`filter-${name}`}>
      <option value="">{`All ${label.toLowerCase()}s`}</option>
      {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  );
  const range = (from: string, to: string, label: string) => (
    <span className="range">
      <span className="small muted">{label}</span>
      <input className="input" type="datetime-local" aria-label={`${label} from`} value={params.get(from) ?? ""} onChange={(e) => set({ [from]: e.target.value || null }, true)} data-testid={`filter-${from}`} />
      <span className="faint">–</span>
      <input className="input" type="datetime-local" aria-label={`${label} until`} value={params.get(to) ?? ""} onChange={(e) => set({ [to]: e.target.value || null }, true)} data-testid={`filter-${to}`} />
    </span>
  );

  return (
    <div className="stack" style={{ gap: 8, margin: "14px 0 12px" }}>
      <div className="runs-filters">
        <label className="search">
          <IconSearch size={16} />
          <span className="sr-only">Search runs by name or id</span>
          <input className="input" type="search" placeholder="Run name or id…" value={text} onChange={(e) => setText(e.target.value)} data-testid="runs-search" />
        </label>
        {select("flow", "Flow", flowNames.map((n) => ({ value: n, label: n })))}
        {select("project", "Project", (choices.data?.projects ?? []).map((p) => ({ value: p.name, label: p.name })))}
        {select("agent", "Agent", (choices.data?.agents ?? []).map((a) => ({ value: a.id, label: a.name })))}
        <input className="input" placeholder="Labels: gpu, eu" aria-label="Labels (all of them)" value={labels} onChange={(e) => setLabels(e.target.value)}
          onBlur={() => set({ label: labels.replace(/\s+/g, "") || null }, true)} onKeyDown={(e) => e.key === "Enter" && set({ label: labels.replace(/\s+/g, "") || null }, true)} data-testid="filter-label" />
      </div>
      <div className="runs-filters">
        <div className="runs-states" role="group" aria-label="States">
          {FILTERABLE.map((family) => (
            <button key={family} type="button" className="btn btn-sm" aria-pressed={states.includes(family)} onClick={() => toggleState(family)} data-testid={`state-${family}`}>
              {family}
            </button>
          ))}
        </div>
        {range("sfrom", "sto", "Scheduled")}
        {range("rfrom", "rto", "Started")}
      </div>
    </div>
  );
}
