/** A notification's status and its attempts: the delivery log's and "send test"'s pieces. */
import type { CSSProperties } from "react";
import type { Notification } from "../api/alertingTypes";
import { stateColorVar } from "../lib/states";
import { formatDateTime, formatDuration } from "../lib/time";

// Each delivery status reads like the state family it resembles.
const STATUS_FAMILY: Record<string, string> = {
  delivered: "Success",
  failed: "Failed",
  pending: "Scheduled",
  delivering: "Running",
  skipped: "Cancelled",
};

export function DeliveryStatus({ status }: { status: string }) {
  return (
    <span className="badge" style={{ "--c": stateColorVar(STATUS_FAMILY[status] ?? "Pending") } as CSSProperties} data-status={status}>
      <span className="dot" />
      {status}
    </span>
  );
}

export function Attempts({ notification }: { notification: Notification }) {
  if (notification.attempts.length === 0) {
    return <p className="small muted">No attempt yet{notification.nextAttemptAt ? `; next at ${formatDateTime(notification.nextAttemptAt)}` : ""}.</p>;
  }
  return (
    <table className="table attempts" data-testid="attempts">
      <thead><tr><th>#</th><th>Result</th><th>Code</th><th>Error / answer</th><th>Started</th><th className="num">Took</th></tr></thead>
      <tbody>
        {notification.attempts.map((a) => (
          <tr key={a.number}>
            <td className="num">{a.number}</td>
            <td>{a.success ? <span className="ok-text">ok</span> : <span className="danger-text">failed</span>}</td>
            <td className="mono small">{a.statusCode ?? "—"}</td>
            <td className="mono small attempt-detail" title={a.detail ?? undefined}>{a.error ?? a.detail ?? ""}</td>
            <td className="small muted nowrap">{formatDateTime(a.started)}</td>
            <td className="num small">{formatDuration(a.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
