"""1.x path `prefect.engine.signals`: the signals a task raises to choose its state."""

from proctor.compat.names import export_from
from proctor.core.signals import *  # noqa: F403
from proctor.core.signals import ProctorSignal

PrefectSignal = ProctorSignal
PrefectStateSignal = ProctorSignal

__all__, __getattr__ = export_from(
    "proctor.core.signals",
    extra=["PrefectSignal", "PrefectStateSignal"],
    later={"LOOP": "proctor.core.signals", "VALIDATIONFAIL": "proctor.core.signals"},
)
