/** One backfill: its range, progress bar, runs by state and in time order, and cancel. */
import { useEffect, useState } from "react";
import { request } from "../api/client";
import { RUN_FEED } from "../api/documents";
import { useNow, useQuery, useThrottled } from "../api/hooks";
import { subscribe } from "../api/live";
import { BACKFILL, CANCEL_BACKFILL } from "../api/scheduleDocuments";
import { useCan } from "../api/session";
import { Loaded } from "../components/ErrorView";
import { Confirm, toast } from "../components/Feedback";
import { Card, PageHead } from "../components/Page";
import { StateBadge } from "../components/State";
import { Link } from "../lib/router";
import { formatDateTime, formatRelative } from "../lib/time";
import { flowRunUrl, flowUrl } from "../routes";
import { BackfillProgress } from "./FlowBackfills";

export default function BackfillPage({ params }: { params: Record<string, string> }) {
  const query = useQuery(BACKFILL, { id: params.id });
  const refetch = useThrottled(() => void query.refetch(), 1000);
  useEffect(() => subscribe(RUN_FEED, {}, { next: refetch }), [refetch]);
  const can = useCan();
  const now = useNow(10_000);
  const [confirming, setConfirming] = useState(false);
  const cancel = async () => {
    setConfirming(false);
    try {
      await request(CANCEL_BACKFILL, { id: params.id });
      toast("Backfill cancelled");
      await query.refetch();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), true);
    }
  };
  return (
    <Loaded query={query}>
      {({ backfill }) => (
        <>
          <PageHead
            crumbs={[{ label: "Flows", to: "/flows" }, { label: backfill.flowName, to: flowUrl(backfill.flowId, "backfills") }]}
            title={<>Backfill <span className="tag" data-testid="backfill-state">{backfill.state}</span></>}
            subtitle={`${formatDateTime(backfill.start)} → ${formatDateTime(backfill.end)} · at most ${backfill.maxConcurrent} runs at once`}
            actions={can.runFlows && backfill.state === "Running" && <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)} data-testid="backfill-cancel">Cancel backfill</button>}
          />
          <div className="stack">
            <Card title="Progress" hint={`${backfill.createdRuns} of ${backfill.total} runs created`}>
              <BackfillProgress backfill={backfill} />
              <div className="row small" style={{ marginTop: 10, flexWrap: "wrap" }} data-testid="backfill-counts">
                {backfill.counts.map((c) => <span key={c.state}><StateBadge state={c.state} /> {c.count}</span>)}
              </div>
            </Card>
            <Card title="Runs" hint="in scheduled-time order" flush>
              <table className="table" data-testid="backfill-runs">
                <thead><tr><th>Scheduled time</th><th>Run</th><th>State</th><th>Started</th></tr></thead>
                <tbody>
                  {backfill.runs.map((run) => (
                    <tr key={run.id} data-testid="backfill-run">
                      <td>{formatDateTime(run.scheduledStartTime)}</td>
                      <td><Link to={flowRunUrl(run.id)}>{run.name}</Link></td>
                      <td><StateBadge state={run.state} /></td>
                      <td>{run.startTime ? formatRelative(run.startTime, now) : <span className="faint">-</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          </div>
          {confirming && (
            <Confirm title="Cancel this backfill?" confirmLabel="Cancel backfill" danger onCancel={() => setConfirming(false)} onConfirm={() => void cancel()}>
              No more runs are created, and its runs not finished are cancelled.
            </Confirm>
          )}
        </>
      )}
    </Loaded>
  );
}
