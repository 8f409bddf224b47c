/**
 * A failed task run's exception and traceback, at the top of its page. The exception is
 * the failed state's message; the traceback is the one the run process logged with the
 * failure (the task's last error line carrying "Traceback"), read from the task's newest
 * log lines and read again when the task run changes (a retry that failed again).
 */
import { useEffect, useState } from "react";
import { request } from "../api/client";
import { LOGS_TAIL } from "../api/documents";
import type { LogLine } from "../api/types";
import { familyOf } from "../lib/states";
import { Card } from "./Page";

const LOOK_BACK = 200; // newest lines of the task searched for its traceback
const RETRIES = 20;
const RETRY_MS = 1500;
const MARK = "Traceback (most recent call last)";

/** The traceback part of the task's last error line that has one, or null. */
export function tracebackOf(lines: LogLine[]): string | null {
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const { level, message } = lines[i];
    const at = message.indexOf(MARK);
    if (level >= 40 && at >= 0) return message.slice(at).trimEnd();
  }
  return null;
}

export function TaskFailure({ flowRunId, taskSlug, mapIndex, state, message, version }: { flowRunId: string; taskSlug: string; mapIndex: number | null; state: string; message: string | null; version: number }) {
  const failed = familyOf(state) === "Failed";
  const [traceback, setTraceback] = useState<{ version: number; text: string | null } | null>(null);
  useEffect(() => {
    if (!failed) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The run process ships its logs apart from its states: the failure's line may come a
    // little after the failed state, so an empty answer is asked again a few times.
    const read = (attempt: number) =>
      request(LOGS_TAIL, { flowRunId, taskSlug, mapIndex, last: LOOK_BACK }).then(
        (data) => {
          if (cancelled) return;
          const text = tracebackOf(data.logs.nodes);
          setTraceback({ version, text });
          if (text === null && attempt < RETRIES) timer = setTimeout(() => void read(attempt + 1), RETRY_MS);
        },
        () => {
          if (cancelled) return;
          setTraceback({ version, text: null });
          if (attempt < RETRIES) timer = setTimeout(() => void read(attempt + 1), RETRY_MS);
        },
      );
    void read(0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [failed, flowRunId, taskSlug, mapIndex, version]);
  if (!failed) return null;
  return (
    <Card title="Failure" hint={state} testId="task-failure" className="failure-card">
      <p className="failure-exception mono" data-testid="task-exception">{message ?? state}</p>
      {traceback === null ? (
        <div className="skeleton" style={{ height: 60 }} />
      ) : traceback.text ? (
        <pre className="traceback" data-testid="task-traceback">{traceback.text}</pre>
      ) : (
        <p className="small muted" style={{ margin: 0 }}>No traceback was logged for this failure (a trigger or a signal failed it, or its logs were cut).</p>
      )}
    </Card>
  );
}
