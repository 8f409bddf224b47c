"""Flow storage: references telling an agent where to find a flow's code.

from proctor.storage import Git

Git("https://github.com/acme/pipelines.git", ref="v1.4", path="etl/flows.py")
"""

from __future__ import annotations

from proctor.core.storage.base import Storage, storage_from_dict, storage_home
from proctor.core.storage.docker import Docker
from proctor.core.storage.git import Git
from proctor.core.storage.local import Local
from proctor.core.storage.module import Module
from proctor.core.storage.remote import Remote

__all__ = [
    "Docker",
    "Git",
    "Local",
    "Module",
    "Remote",
    "Storage",
    "storage_from_dict",
    "storage_home",
]
