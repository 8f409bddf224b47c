"""The 1.x APIs Proctor does not offer, with what to use instead: data for `proctor migrate`.

Most of these belonged to the hosted backend of the 1.x generation (its key-value store,
artifacts, its GraphQL schema) or start runs on infrastructure Proctor has no launcher for.
`proctor migrate --check` reports every use of a name listed here, or of anything under it,
by file and line, so a project learns before its first run what needs a change by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotOffered:
    """One 1.x name (a module, class or function) that Proctor does not offer.

    `name` is the dotted 1.x path (`prefect.backend.set_key_value`); a use of it or of
    anything under it is reported. `after_migration` says whether the same path under
    `proctor.` is reported too: False where Proctor has its own, different thing by that
    name (its `Client` speaks Proctor's schema), which a migrated file may use rightly.
    """

    name: str
    instead: str
    after_migration: bool = True


_KV = (
    "the hosted key-value store is not offered: keep such values in a Result "
    "(LocalResult/FSSpecResult) or your own database"
)
_ARTIFACTS = "artifacts are not offered: log the link or the markdown with the run logger"
_METADATA_STORAGE = (
    "kept as metadata only, an agent cannot load a flow from it: use Local, Git (GitHub, "
    "GitLab, Bitbucket) or an fsspec location (S3, GCS, Azure with a key)"
)
_NO_LAUNCHER = (
    "kept as metadata only, Proctor has no launcher for it: run an agent with the "
    "local-process or Docker launcher (LocalRun, DockerRun)"
)

NOT_OFFERED: tuple[NotOffered, ...] = (
    NotOffered("prefect.backend.kv_store", _KV),
    NotOffered("prefect.backend.set_key_value", _KV),
    NotOffered("prefect.backend.get_key_value", _KV),
    NotOffered("prefect.backend.delete_key", _KV),
    NotOffered("prefect.backend.list_keys", _KV),
    NotOffered("prefect.backend.artifacts", _ARTIFACTS),
    NotOffered("prefect.backend.create_link_artifact", _ARTIFACTS),
    NotOffered("prefect.backend.create_markdown_artifact", _ARTIFACTS),
    NotOffered("prefect.backend.update_link_artifact", _ARTIFACTS),
    NotOffered("prefect.backend.update_markdown_artifact", _ARTIFACTS),
    NotOffered("prefect.backend.delete_artifact", _ARTIFACTS),
    NotOffered("prefect.artifacts", _ARTIFACTS),
    NotOffered(
        "prefect.backend.FlowView",
        "read flows from the Proctor server with proctor.client.Client",
    ),
    NotOffered(
        "prefect.Client",
        "the 1.x Client spoke the hosted GraphQL schema: use proctor.client.Client "
        "(Proctor's own schema and methods)",
        after_migration=False,
    ),
    NotOffered(
        "prefect.client.Client",
        "the 1.x Client spoke the hosted GraphQL schema: use proctor.client.Client "
        "(Proctor's own schema and methods)",
        after_migration=False,
    ),
    NotOffered(
        "prefect.engine.cloud",
        "the hosted runners are not offered: run with flow.run() locally, or register the "
        "flow and let a Proctor agent run it",
    ),
    NotOffered("prefect.storage.Docker", _METADATA_STORAGE),
    NotOffered("prefect.storage.Webhook", _METADATA_STORAGE),
    NotOffered("prefect.storage.CodeCommit", _METADATA_STORAGE),
    NotOffered("prefect.run_configs.ECSRun", _NO_LAUNCHER),
    NotOffered("prefect.run_configs.VertexRun", _NO_LAUNCHER),
    NotOffered(
        "prefect.agent",
        "1.x agents are not offered: start a Proctor agent with `proctor agent start`",
    ),
    NotOffered(
        "prefect.utilities.notifications",
        "notifiers are not offered: use a server automation (webhook, Slack-style webhook, "
        "email) or a state handler of your own",
    ),
)

__all__ = ["NOT_OFFERED", "NotOffered"]
