"""Orchestration: the one checkpoint every flow-run and task-run state change goes through.

states.py      state names, families, parsing client state dicts
transition.py  Transition (proposed change + current run) and Outcome (the decision)
rules.py       the small rules, each declaring the from/to states it applies to
policy.py      ordered rule lists: FLOW_RUN_POLICY, TASK_RUN_POLICY
effects.py     the row after an accepted change (version, times, run count, claim)
evaluate.py    `evaluate`: a batch of changes + the current rows -> one verdict per change
"""

from proctor.server.orchestration.effects import apply_state
from proctor.server.orchestration.evaluate import Change, Verdict, evaluate
from proctor.server.orchestration.policy import FLOW_RUN_POLICY, TASK_RUN_POLICY, Policy
from proctor.server.orchestration.rules import Rule
from proctor.server.orchestration.states import ProposedState, parse_state
from proctor.server.orchestration.transition import Outcome, RunSnapshot, Transition

__all__ = [
    "FLOW_RUN_POLICY",
    "TASK_RUN_POLICY",
    "Change",
    "Outcome",
    "Policy",
    "ProposedState",
    "Rule",
    "RunSnapshot",
    "Transition",
    "Verdict",
    "apply_state",
    "evaluate",
    "parse_state",
]
