"""Public import path for flow storage: `from proctor.storage import Local, Git, ...`.

Proctor's own `Local`, `Module`, `Git` and `Remote`, in versions that also take the 1.x
spellings (`Local(path=..., stored_as_script=True)`, `Git(repo=..., flow_path=...)`), plus
the other 1.x storage names (`GitHub`, `GitLab`, `Bitbucket`, `S3`, `GCS`, `Azure`,
`Docker`, `Webhook`, `CodeCommit`): see `proctor.compat.storage` for how each maps.
"""

from proctor.compat.storage import (
    GCS,
    S3,
    Azure,
    Bitbucket,
    CodeCommit,
    Docker,
    Git,
    GitHub,
    GitLab,
    Local,
    Module,
    Webhook,
)
from proctor.core.storage import Remote, Storage, storage_from_dict, storage_home

__all__ = [
    "GCS",
    "S3",
    "Azure",
    "Bitbucket",
    "CodeCommit",
    "Docker",
    "Git",
    "GitHub",
    "GitLab",
    "Local",
    "Module",
    "Remote",
    "Storage",
    "Webhook",
    "storage_from_dict",
    "storage_home",
]
