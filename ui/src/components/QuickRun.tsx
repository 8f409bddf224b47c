/**
 * Quick run: one click starts a run with the flow's default parameters (the server fills
 * them in). A flow with a required parameter that has no default cannot run that way:
 * the button opens the run form instead and says which values it needs. After a start,
 * a link to the new run stays beside the button.
 */
import { useState } from "react";
import { request } from "../api/client";
import { QUICK_RUN, QUICK_RUN_FLOW } from "../api/steeringDocuments";
import type { JsonValue } from "../api/types";
import { fieldsFromSchema } from "../lib/schemaForm";
import { Link, navigate } from "../lib/router";
import { flowRunUrl, flowUrl } from "../routes";
import { toast } from "./Feedback";
import { IconPlay } from "./icons";

/** The parameters a run must be given: required, with no default. */
export function missingValues(schema: JsonValue | null | undefined): string[] {
  return fieldsFromSchema(schema).filter((f) => f.required && !f.hasDefault).map((f) => f.name);
}

export function needsText(names: string[]): string {
  return `Needs a value for ${names.join(", ")} (no default): fill in the form.`;
}


export function QuickRunButton({ flowId, flowName, schema, small = false }: { flowId: string; flowName: string; schema?: JsonValue; small?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<{ id: string; name: string } | null>(null);
  const known = schema === undefined ? null : missingValues(schema);

  const openForm = (names: string[]) => {
    toast(`${flowName}: ${needsText(names)}`);
    navigate(`${flowUrl(flowId, "run")}&need=${encodeURIComponent(names.join(","))}`);
  };

  const run = async () => {
    if (busy) return;
    setBusy(true);
    try {
      let missing = known;
      let labels: string[] | null = null;
      let runId = flowId;
      if (missing === null) {
        // The flows list knows no schema: read it now, and run the latest version.
        const { flow } = await request(QUICK_RUN_FLOW, { id: flowId });
        if (flow.archived) {
          toast(`${flowName} is archived: run its current version instead`, true);
          return;
        }
        missing = missingValues(flow.parameterSchema);
        labels = flow.labels;
        runId = flow.id;
      }
      if (missing.length) {
        openForm(missing);
        return;
      }
      const input = { flowId: runId, parameters: {}, labels };
      const { createFlowRun } = await request(QUICK_RUN, { input });
      setStarted(createFlowRun);
      toast(`Run ${createFlowRun.name} started with the default parameters`);
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    } finally {
      setBusy(false);
    }
  };

  const title = known && known.length ? needsText(known) : "Start a run now with the default parameters";
  return (
    <span className="row" style={{ gap: 8, flexWrap: "nowrap" }}>
      <button type="button" className={small ? "btn btn-sm" : "btn"} disabled={busy} onClick={() => void run()} title={title}
        aria-label={`Quick run ${flowName}`} data-testid="quick-run">
        <IconPlay size={small ? 12 : 14} /> {busy ? "Starting…" : "Quick run"}
      </button>
      {started && (
        <Link to={flowRunUrl(started.id)} className="small nowrap" data-testid="quick-run-link">{started.name} →</Link>
      )}
    </span>
  );
}

/** Shown above the run form when a quick run sent the user there. */
export function NeedsValuesBanner({ names }: { names: string[] }) {
  if (!names.length) return null;
  return (
    <div className="banner warn" role="status" data-testid="quick-run-needs">
      Quick run could not start this flow. {needsText(names)}
    </div>
  );
}
