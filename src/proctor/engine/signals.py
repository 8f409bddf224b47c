"""1.x path `prefect.engine.signals`: the signals a task raises to choose its state."""

from proctor.compat.names import export_from
from proctor.compat.not_offered import names_getattr
from proctor.core.signals import *  # noqa: F403
from proctor.core.signals import ProctorSignal

PrefectSignal = ProctorSignal
PrefectStateSignal = ProctorSignal

__all__, _later = export_from(
    "proctor.core.signals",
    extra=["PrefectSignal", "PrefectStateSignal"],
    later={"LOOP": "proctor.core.signals"},
)
# VALIDATIONFAIL: NotOfferedError naming what to do instead.
__getattr__ = names_getattr("prefect.engine.signals", _later)
