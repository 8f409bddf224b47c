"""The transition engine's writing half: one generic writer and the declared after-write
effects of flow runs and task runs.

batch.py    `Batch` (what one call's effects see) and `Effect` (hooks, do-nothing defaults)
effects.py  the effects, and the ordered list of them per run kind
writer.py   `write_transitions`: evaluate in chunks (`orchestration.evaluate`), run the effects

`services.flow_run_states` and `services.task_runs` read and lock the rows, then call
`write_transitions`; a new after-write effect is a class in effects.py put in the lists.
"""

from proctor.server.services._transitions.batch import Batch, Effect
from proctor.server.services._transitions.effects import FLOW_RUN_EFFECTS, TASK_RUN_EFFECTS
from proctor.server.services._transitions.writer import results_of, write_transitions

__all__ = [
    "FLOW_RUN_EFFECTS",
    "TASK_RUN_EFFECTS",
    "Batch",
    "Effect",
    "results_of",
    "write_transitions",
]
