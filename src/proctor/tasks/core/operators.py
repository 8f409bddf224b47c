"""1.x path `prefect.tasks.core.operators`: the tasks that `x + 1`, `a < b`, ... add."""

from proctor.compat.names import export_from
from proctor.compat.tasks import core as _compat_core
from proctor.core import builtin_tasks as _builtin
from proctor.core.operator_tasks import *  # noqa: F403

GetAttr = _compat_core.GetAttr
GetItem = _builtin.GetItem

__all__, __getattr__ = export_from("proctor.core.operator_tasks", extra=["GetAttr", "GetItem"])
