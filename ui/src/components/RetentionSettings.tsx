/** The team's run-history retention (effective policy, what the team set, the server's
 * default) and the database's size; owners and admins change the team's figures. */
import { useState, type FormEvent } from "react";
import { request } from "../api/client";
import { graphql } from "../gql";
import { useQuery } from "../api/hooks";
import { useCan } from "../api/session";
import { Loaded } from "./ErrorView";
import { toast } from "./Feedback";
import { errorText } from "./OneTime";
import { Card } from "./Page";

export const RETENTION_POLICY = graphql(`query RetentionPolicy { retentionPolicy { days logMaxBytes keepNewestRuns
  team { days logMaxBytes keepNewestRuns } serverDefault { days logMaxBytes keepNewestRuns }
  databaseSizeBytes databaseDialect } }`);
export const SET_RETENTION_POLICY = graphql(`mutation SetRetentionPolicy($days: Float, $logMaxBytes: Float, $keepNewestRuns: Int) {
  setRetentionPolicy(days: $days, logMaxBytes: $logMaxBytes, keepNewestRuns: $keepNewestRuns) { days } }`);

interface Figures { days: number | null; logMaxBytes: number | null; keepNewestRuns: number | null }
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const logLimit = (bytes: number | null) => (bytes === null ? "" : bytes === 0 ? "no limit" : formatBytes(bytes));

function Source({ own }: { own: boolean }) {
  return <span className="small faint">{own ? " (this team)" : " (server default)"}</span>;
}

export function RetentionSettings() {
  const can = useCan();
  const query = useQuery(RETENTION_POLICY);
  return (
    <div className="stack">
      <Card title="Run history" testId="retention-policy"
        hint="Finished runs older than this are deleted with their task runs and logs; runs in progress never are.">
        <Loaded query={query}>
          {({ retentionPolicy: p }) => (
            <dl className="kv">
              <dt>Keep finished runs for</dt>
              <dd data-testid="retention-days">{p.days} days<Source own={p.team.days !== null} /></dd>
              <dt>Always keep per flow</dt>
              <dd data-testid="retention-keep">{p.keepNewestRuns} newest runs<Source own={p.team.keepNewestRuns !== null} /></dd>
              <dt>Logs per run</dt>
              <dd data-testid="retention-logs">{logLimit(p.logMaxBytes)}<Source own={p.team.logMaxBytes !== null} /></dd>
              <dt>Database size</dt>
              <dd data-testid="database-size">{formatBytes(p.databaseSizeBytes)} <span className="small faint">({p.databaseDialect}, all teams)</span></dd>
            </dl>
          )}
        </Loaded>
      </Card>
      {can.manageTeam && query.data && (
        <RetentionForm current={query.data.retentionPolicy.team} onSaved={() => void query.refetch()} />
      )}
    </div>
  );
}

/** Empty field: follow the server's default. */
function parsed(text: string, what: string, integer: boolean): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${what}: enter ${integer ? "a whole number" : "a number"} of 0 or more, or leave it empty`);
  }
  return value;
}

function RetentionForm({ current, onSaved }: { current: Figures; onSaved: () => void }) {
  const text = (value: number | null) => (value === null ? "" : String(value));
  const [days, setDays] = useState(text(current.days));
  const [logBytes, setLogBytes] = useState(text(current.logMaxBytes));
  const [keep, setKeep] = useState(text(current.keepNewestRuns));
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await request(SET_RETENTION_POLICY, {
        days: parsed(days, "Days", false),
        logMaxBytes: parsed(logBytes, "Log bytes per run", true),
        keepNewestRuns: parsed(keep, "Newest runs", true),
      });
      toast("Retention policy saved");
      onSaved();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <Card title="Change this team's policy" testId="retention-form" hint="Leave a field empty to follow the server's default.">
      <form className="row" onSubmit={(e) => void submit(e)} noValidate>
        <label className="row small muted">days
          <input className="input" style={{ width: 80 }} inputMode="decimal" aria-label="Days to keep runs" value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
        <label className="row small muted">newest runs kept
          <input className="input" style={{ width: 80 }} inputMode="numeric" aria-label="Newest runs kept per flow" value={keep} onChange={(e) => setKeep(e.target.value)} />
        </label>
        <label className="row small muted">log bytes per run
          <input className="input" style={{ width: 130 }} inputMode="numeric" aria-label="Log bytes per run" value={logBytes} onChange={(e) => setLogBytes(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary">Save</button>
        {error && <span className="danger-text small" role="alert" data-testid="retention-error">{error}</span>}
      </form>
    </Card>
  );
}
