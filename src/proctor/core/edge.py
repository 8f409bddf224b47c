"""1.x path `prefect.core.edge`: `Edge`, one dependency of a flow's graph.

The engine's edges live in `proctor.core.graph`; this module only gives them the path
1.x code imports them from.
"""

from proctor.core.graph import Edge

__all__ = ["Edge"]
