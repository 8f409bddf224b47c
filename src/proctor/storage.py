"""Flow storage: where agents find a flow's code.

See `proctor.core.storage` and docs/results-and-storage.md.
"""

from __future__ import annotations

from proctor.core.storage import Git, Local, Module, Remote, Storage, storage_from_dict

__all__ = ["Git", "Local", "Module", "Remote", "Storage", "storage_from_dict"]
