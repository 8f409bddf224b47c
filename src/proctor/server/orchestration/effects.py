"""What an accepted state change does to a run's row besides its state columns:
version, run count, start/end times (those of the current attempt), the scheduled time,
the claim.

Kept apart from the rules (which only decide) so both stay small, and computed in
Python so a batch of thousands of changes is written with one executemany.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from proctor.server.orchestration.states import FINISHED_STATES, ProposedState
from proctor.server.orchestration.transition import RunKind, RunSnapshot


def apply_state(
    current: RunSnapshot,
    state: ProposedState,
    *,
    kind: RunKind,
    agent_id: uuid.UUID | None = None,
) -> RunSnapshot:
    """The run after entering `state` (the rules already accepted it)."""
    family = state.type
    was_finished = current.state in FINISHED_STATES
    run_count = current.run_count
    if kind == "task_run" and state.run_count is not None:
        run_count = state.run_count
    elif family == "Running" and current.state_type not in ("Running", "Paused"):
        run_count += 1
    # A restart reopens a finished run for a new attempt: its start is the new
    # attempt's first Running, not the old one's (the old times stay in the history).
    reopened = was_finished and not state.finished
    start_time = None if reopened else current.start_time
    if family == "Running" and start_time is None:
        start_time = state.timestamp
    if state.finished:
        end_time = state.timestamp
    elif reopened:
        end_time = None
    else:
        end_time = current.end_time
    scheduled = current.scheduled_start_time
    if family == "Scheduled" and state.start_time is not None:
        scheduled = state.start_time
    claim = current.agent_id
    if kind == "flow_run":
        if family == "Submitted" and agent_id is not None:
            claim = agent_id
        elif family in ("Scheduled", "Pending"):
            # Waiting to be claimed (re-queued by its agent or by Lazarus, a flow-level
            # retry, a rescheduled run): any agent may claim it at its start time.
            claim = None
        elif was_finished and not state.finished:
            claim = None  # restarted
    return replace(
        current,
        state=state.name,
        state_timestamp=state.timestamp,
        version=current.version + 1,
        run_count=run_count,
        start_time=start_time,
        end_time=end_time,
        scheduled_start_time=scheduled,
        agent_id=claim,
        result_location=state.result_location,
    )


__all__ = ["apply_state"]
