"""The rules for a state set by hand ("Mark as" in the UI, `proctor runs mark`).

A person marking a run is a forced transition: it may leave a finished state (marking a
Failed run Success is the point of it), which the reporting policies refuse. It still
goes through rules, and these may refuse it or change it:

- only Success, Failed, Cancelled and Skipped can be set by hand;
- a run already in the asked state is refused (nothing to record);
- Cancelled on a flow run a process may be running (Submitted, Running) becomes
  Cancelling: the process stops its tasks and ends the run Cancelled, as a cancel does;
- a task run's state is refused while its flow run's process runs (Submitted, Running,
  Cancelling): the engine owns those states then and would overwrite the mark; mark or
  cancel the flow run, or wait until it ends.

Success, Failed or Skipped on a running flow run are written at once; the run process
sees its run finished by someone else and stops (see `proctor.agent.watcher`), and the
service cancels the task runs left open (`services.manual_states`).
"""

from __future__ import annotations

from proctor.server.orchestration.policy import Policy
from proctor.server.orchestration.rules import Rule
from proctor.server.orchestration.states import FAMILY_OF
from proctor.server.orchestration.transition import Outcome, Transition

MANUAL_STATES: tuple[str, ...] = ("Success", "Failed", "Cancelled", "Skipped")
PROCESS_FAMILIES = frozenset({"Submitted", "Running", "Cancelling"})


class OnlyManualStates(Rule):
    """By hand, a run can only be ended: Success, Failed, Cancelled or Skipped."""

    name = "only_manual_states"

    def check(self, transition: Transition) -> Outcome | None:
        if transition.proposed.name not in MANUAL_STATES:
            return self.reject(
                f"A run can be marked {', '.join(MANUAL_STATES)} by hand, not "
                f"{transition.proposed.name}.",
                code="INVALID_INPUT",
            )
        return None


class AlreadyInState(Rule):
    """Marking a run with the state it is in would record nothing true: refused."""

    name = "already_in_state"

    def check(self, transition: Transition) -> Outcome | None:
        current = transition.current.state
        if current == transition.proposed.name:
            return self.reject(f"The run is already {current}.")
        return None


class ManualCancelStopsTheProcess(Rule):
    """Cancelled by hand on a flow run that may be running asks its process to stop
    (Cancelling), so its tasks stop and the process ends the run Cancelled."""

    name = "manual_cancel_stops_the_process"
    applies_to = frozenset({"flow_run"})
    from_types = frozenset({"Submitted", "Running"})
    to_types = frozenset({"Cancelled"})

    def check(self, transition: Transition) -> Outcome | None:
        stopping = transition.proposed.with_name("Cancelling")
        return Outcome.rewrite(
            stopping, "Its process is asked to stop and ends it Cancelled.", self.name
        )


class TaskRunOfIdleFlowRun(Rule):
    """A task run's state is the engine's while its flow run's process runs."""

    name = "task_run_of_idle_flow_run"
    applies_to = frozenset({"task_run"})

    def check(self, transition: Transition) -> Outcome | None:
        parent = transition.flow_run_state
        if parent is not None and FAMILY_OF.get(parent) in PROCESS_FAMILIES:
            return self.reject(
                f"The flow run is {parent}: its process sets its task runs' states. Mark "
                "or cancel the flow run, or wait until it ends."
            )
        return None


MANUAL_FLOW_RUN_POLICY = Policy(
    [OnlyManualStates(), AlreadyInState(), ManualCancelStopsTheProcess()]
)
MANUAL_TASK_RUN_POLICY = Policy([OnlyManualStates(), AlreadyInState(), TaskRunOfIdleFlowRun()])

__all__ = [
    "MANUAL_FLOW_RUN_POLICY",
    "MANUAL_STATES",
    "MANUAL_TASK_RUN_POLICY",
    "AlreadyInState",
    "ManualCancelStopsTheProcess",
    "OnlyManualStates",
    "TaskRunOfIdleFlowRun",
]
