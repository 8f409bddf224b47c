"""The former name of `proctor.core.concurrency_limits` (documented imports keep working:
`from proctor.core.gates import LocalTaskGate`)."""

from proctor.core.concurrency_limits import Admission, LocalTaskGate, TaskGate

__all__ = ["Admission", "LocalTaskGate", "TaskGate"]
