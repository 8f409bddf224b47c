"""1.x path `prefect.engine.flow_runner`."""

from proctor.compat.names import lazy_names

__getattr__ = lazy_names({"FlowRunner": "proctor.compat.runners"}, __name__)

__all__ = ["FlowRunner"]  # noqa: F822
