"""1.x path `prefect.engine.state`: the state classes."""

from proctor.compat.names import export_from
from proctor.core.states import *  # noqa: F403

__all__, __getattr__ = export_from(
    "proctor.core.states",
    later={
        "Looped": "proctor.core.states",
        "Resume": "proctor.core.states",
        "ClientFailed": "proctor.core.states",
        "ValidationFailed": "proctor.core.states",
    },
)
