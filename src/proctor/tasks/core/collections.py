"""1.x path `prefect.tasks.core.collections`."""

from proctor.compat.tasks.core import Dict, List, Set, Tuple, VarArgsTask

__all__ = ["Dict", "List", "Set", "Tuple", "VarArgsTask"]
