"""1.x storage classes, mapped onto Proctor storage where Proctor can load the flow from it.

- `Local(path=..., stored_as_script=True)` is Proctor's `Local`; `Local()` with no path
  means the file that created it (1.x pickled the flow instead: Proctor always loads the
  script, so the file must define the flow at module level).
- `Module(module=...)` is Proctor's `Module`.
- `Git(repo=..., flow_path=..., repo_host=..., branch_name=... | tag=... | commit=...)`,
  `GitHub(repo=, path=, ref=)`, `GitLab(...)` and `Bitbucket(...)` are Proctor's `Git`
  with the clone URL built from the host and repository name.
- `S3`, `GCS` and `Azure` with a `key`/`blob_name` are Proctor's `Remote` on the right fsspec
  URL. Proctor never uploads a file at registration: the script must already be there.
- `Docker(base_image=..., ...)` is Proctor's `Docker`: the flow is built into an image at
  registration and a Docker agent runs it there.
- `Webhook`, `CodeCommit`, and `S3`/`GCS`/`Azure` without a key are kept as
  metadata: they serialise with the flow, and an agent asked to load a flow from one says
  which storage to use instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

from proctor.core.errors import StorageError
from proctor.core.storage import base as _base
from proctor.core.storage.base import Storage
from proctor.core.storage.docker import Docker as _Docker
from proctor.core.storage.git import Git as _Git
from proctor.core.storage.local import Local as _Local
from proctor.core.storage.module import Module as _Module
from proctor.core.storage.remote import Remote as _Remote

if TYPE_CHECKING:
    from proctor.core.flow import Flow

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _caller_file() -> str | None:
    """The first file outside Proctor on the stack: where `Local()` was written."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None or frame.f_code.co_filename.startswith("<"):
        return None
    return os.path.abspath(frame.f_code.co_filename)


class Local(_Local):
    """A flow file on the agent's machine (1.x spellings accepted)."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        directory: str | None = None,
        stored_as_script: bool = True,
        validate: bool = True,
        **metadata: Any,
    ) -> None:
        # `directory` held 1.x's pickles; `validate` and the like are 1.x settings with
        # nothing to do here, since Proctor loads the script itself.
        if path is None:
            path = _caller_file()
            if path is None:
                raise StorageError(
                    "Local() without a path takes the file it is written in, but it was "
                    "called outside a file (an interactive session?): pass "
                    "Local(path='/path/to/flow.py')."
                )
        super().__init__(path)
        self.stored_as_script = stored_as_script

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(data["path"])


class Module(_Module):
    """A flow in an importable module: `Module("pkg.flows")` or `Module(module="pkg.flows")`."""

    def __init__(self, module: str | None = None, **kwargs: Any) -> None:
        name = kwargs.pop("name", module)
        if name is None:
            raise StorageError(
                "Module storage needs the module's dotted name: Module('pkg.flows')."
            )
        super().__init__(name)

    @property
    def module(self) -> str:
        return self.name


def _ref(branch_name: str | None, tag: str | None, commit: str | None, ref: str | None) -> str:
    given = [value for value in (commit, tag, branch_name, ref) if value]
    if len(given) > 1:
        raise StorageError(
            "Git storage: give at most one of branch_name, tag, commit (or ref), "
            f"got {', '.join(map(repr, given))}."
        )
    return given[0] if given else "HEAD"


def _repository_url(host: str, repo: str, use_ssh: bool) -> str:
    repo = repo.strip("/").removesuffix(".git")
    host = host.removeprefix("https://").removeprefix("http://").rstrip("/")
    return f"git@{host}:{repo}.git" if use_ssh else f"https://{host}/{repo}.git"


class Git(_Git):
    """A flow file in a git repository.

    Proctor's form `Git(url, ref="HEAD", path="flows.py")` and 1.x's
    `Git(repo="org/repo", flow_path="flows/etl.py", repo_host="github.com",
    branch_name=... | tag=... | commit=..., use_ssh=False)` both work. Credentials come
    from the agent machine's git configuration; 1.x's token secret names are kept for
    reference only.
    """

    def __init__(
        self,
        url: str | None = None,
        ref: str | None = None,
        path: str | None = None,
        *,
        repo: str | None = None,
        flow_path: str | None = None,
        repo_host: str = "github.com",
        branch_name: str | None = None,
        tag: str | None = None,
        commit: str | None = None,
        use_ssh: bool = False,
        **metadata: Any,
    ) -> None:
        if url is None:
            if not repo:
                raise StorageError(
                    "Git storage needs a repository: Git(repo='org/repo', flow_path=...) or "
                    "Git('https://host/org/repo.git', path=...)."
                )
            url = _repository_url(repo_host, repo, use_ssh)
        super().__init__(
            url, ref=_ref(branch_name, tag, commit, ref), path=path or flow_path or "flows.py"
        )
        self.metadata = dict(metadata)

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(data["url"], ref=data.get("ref", "HEAD"), path=data.get("path", "flows.py"))


class GitHub(Git):
    """`GitHub(repo="org/repo", path="flows/etl.py", ref="main")`: Git on github.com."""

    def __init__(
        self,
        repo: str,
        path: str | None = None,
        ref: str | None = None,
        *,
        base_url: str | None = None,
        **metadata: Any,
    ) -> None:
        host = base_url or "github.com"
        super().__init__(repo=repo, flow_path=path, ref=ref, repo_host=host, **metadata)


class GitLab(Git):
    """`GitLab(repo="group/project", path=..., ref=..., host=...)`: Git on a GitLab host."""

    def __init__(
        self,
        repo: str,
        host: str | None = None,
        path: str | None = None,
        ref: str | None = None,
        **metadata: Any,
    ) -> None:
        super().__init__(
            repo=repo, flow_path=path, ref=ref, repo_host=host or "gitlab.com", **metadata
        )


class Bitbucket(Git):
    """`Bitbucket(project="PROJ", repo="repo", path=..., ref=...)`: Git on a Bitbucket host."""

    def __init__(
        self,
        project: str,
        repo: str,
        host: str | None = None,
        path: str | None = None,
        ref: str | None = None,
        **metadata: Any,
    ) -> None:
        super().__init__(
            repo=f"{project}/{repo}",
            flow_path=path,
            ref=ref,
            repo_host=host or "bitbucket.org",
            **metadata,
        )


class MetadataStorage(Storage):
    """A 1.x storage kind Proctor keeps as a description only: it cannot load flows from it."""

    #: What to use instead, said when an agent is asked to load a flow from it.
    instead: ClassVar[str] = ""

    def __init__(self, **settings: Any) -> None:
        self.settings = {key: value for key, value in settings.items() if value is not None}
        _base.check_json(self.settings, type(self).__name__)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "settings": dict(self.settings)}

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**data.get("settings", {}))

    def load_flow(self, flow_name: str | None = None) -> Flow:
        raise StorageError(
            f"Flow {flow_name or ''!s} was registered with 1.x {type(self).__name__} storage, "
            f"which Proctor keeps as metadata only and cannot load flows from: {self.instead}."
        )

    def __getattr__(self, name: str) -> Any:
        settings = self.__dict__.get("settings", {})
        if name in settings:
            return settings[name]
        raise AttributeError(f"{type(self).__name__} storage has no setting {name!r}")


class Docker(_Docker):
    """1.x `Docker(...)` storage: Proctor's, which builds the flow into an image when it is
    registered (1.x's `base_image`, `registry_url`, `python_dependencies`, `files`,
    `env_vars`, `image_name`, `image_tag`, `extra_dockerfile_commands` and `path` work;
    other 1.x settings such as `prefect_version` or `local_image` have nothing to do)."""


class Webhook(MetadataStorage):
    """1.x `Webhook(...)` storage: kept as metadata."""

    type_name = "webhook"
    _fields = {"settings": ((dict,), False)}
    instead = "serve the flow file at a URL and use Remote('https://...') storage"


class CodeCommit(MetadataStorage):
    """1.x `CodeCommit(...)` storage: kept as metadata."""

    type_name = "codecommit"
    _fields = {"settings": ((dict,), False)}
    instead = "use Git(url=<the repository's clone URL>, ref=..., path=...) storage"


class _PickledObject(MetadataStorage):
    """S3/GCS/Azure without a key: 1.x uploaded a pickle there, which Proctor never does."""

    type_name = "pickled-object"
    _fields = {"settings": ((dict,), False)}
    instead = (
        "upload the flow's .py file and give its key with stored_as_script=True (or use "
        "Remote('<scheme>://bucket/path/flow.py'))"
    )


def _object_storage(
    kind: str, scheme: str, bucket: str, key: str | None, options: Mapping[str, Any]
) -> Storage:
    if not isinstance(bucket, str) or not bucket.strip("/"):
        raise StorageError(f"{kind} storage needs a bucket or container name, got {bucket!r}.")
    if not key:
        return _PickledObject(kind=kind, bucket=bucket, **options)
    return _Remote(f"{scheme}://{bucket.strip('/')}/{key.lstrip('/')}")


def S3(
    bucket: str, key: str | None = None, stored_as_script: bool = False, **options: Any
) -> Storage:
    """1.x `S3(bucket, key=...)`: `Remote("s3://bucket/key")` (needs s3fs where it runs)."""
    return _object_storage("S3", "s3", bucket, key, _json_only(options))


def GCS(
    bucket: str, key: str | None = None, stored_as_script: bool = False, **options: Any
) -> Storage:
    """1.x `GCS(bucket, key=...)`: `Remote("gs://bucket/key")` (needs gcsfs where it runs)."""
    return _object_storage("GCS", "gs", bucket, key, _json_only(options))


def Azure(
    container: str, blob_name: str | None = None, stored_as_script: bool = False, **options: Any
) -> Storage:
    """1.x `Azure(container, blob_name=...)`: `Remote("az://container/blob")` (adlfs)."""
    return _object_storage("Azure", "az", container, blob_name, _json_only(options))


def _json_only(options: Mapping[str, Any]) -> dict[str, Any]:
    import json

    kept = {}
    for key, value in options.items():
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            continue  # client objects and the like: only meaningful in the 1.x process
        kept[key] = value
    return kept


# The engine rebuilds storages from their descriptions with its own classes; the 1.x ones
# above only widen how they are built, so the registry keeps pointing at Proctor's.
for _core in (_Local, _Module, _Git, _Remote, _Docker):
    _base._REGISTRY[_core.type_name] = _core


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
    "MetadataStorage",
    "Module",
    "Storage",
    "Webhook",
]
