"""1.x path `prefect.engine.state`: the state classes."""

from proctor.compat.names import export_from
from proctor.compat.not_offered import names_getattr
from proctor.core.states import *  # noqa: F403

__all__, _later = export_from("proctor.core.states", later={"Looped": "proctor.core.states"})
# Resume, ValidationFailed, ClientFailed: NotOfferedError naming what to do instead.
__getattr__ = names_getattr("prefect.engine.state", _later)
