"""`Docker` storage: the flow built into an image at registration, run by a Docker agent.

from proctor.storage import Docker

flow.storage = Docker(base_image="python:3.11-slim-with-proctor", files={"helpers.py":
"/opt/proctor/flows/helpers.py"}, registry_url="registry.example.com/team")

`flow.register()` (and `proctor register`) writes a build context (a Dockerfile `FROM
base_image` that copies the flow's file to `path`, plus the `files`, `env_vars`,
`python_dependencies` and `extra_dockerfile_commands` asked for), runs `docker build`
with its output on stderr, pushes the image when `registry_url` is set, and registers the
flow with the image and the file's path in it. The flow's run config names that image
(`DockerRun(image=...)` of the flow's own, if set, wins), so a Docker agent starts each
run in it and loads the flow from the file baked in.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from proctor.core.errors import StorageError
from proctor.core.storage import docker_build
from proctor.core.storage.base import Storage, check_json
from proctor.core.storage.local import Local

if TYPE_CHECKING:
    from proctor.core.flow import Flow

__all__ = ["FLOWS_FOLDER", "Docker"]

#: Where the flow's file goes in the image unless `path` says otherwise.
FLOWS_FOLDER = "/opt/proctor/flows"
#: Run config kinds that start a container of an image, and so take the built one.
_IMAGE_RUN_CONFIGS = {"", "universal", "docker", "kubernetes"}
_NAME = re.compile(r"[^a-z0-9._-]+")


def _text_list(value: Iterable[str] | str | None, what: str) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise StorageError(f"Docker storage: {what} must be a list of strings, got {value!r}.")
    return items


def _text_map(value: Mapping[str, Any] | None, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise StorageError(f"Docker storage: {what} must be a dict, got {value!r}.")
    return {str(key): str(item) for key, item in value.items()}


def _print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class Docker(Storage):
    """A flow built into an image `FROM base_image` when it is registered.

    `registry_url`: where to push (the image is named ``<registry_url>/<image_name>``);
    without it the image stays on the machine that built it (enough when the agent runs
    there). `image_name` defaults to the flow's name, `image_tag` to a digest of what the
    image is built from (registering an unchanged flow again builds the same tag).
    `python_dependencies` are pip-installed in the image (the build needs a package index
    it can reach); `files` maps local paths to paths in the image; `env_vars` are set in
    it; `extra_dockerfile_commands` are Dockerfile lines added last. `path`: where the
    flow's file goes in the image (default ``/opt/proctor/flows/<file name>``).
    `flow_file`: the local file to copy (default the file that defined the flow).
    """

    type_name = "docker"
    _fields = {
        "image": ((str, type(None)), False),
        "path": ((str, type(None)), False),
        "settings": ((dict,), False),
    }

    def __init__(
        self,
        base_image: str | None = None,
        *,
        registry_url: str | None = None,
        image_name: str | None = None,
        image_tag: str | None = None,
        python_dependencies: Iterable[str] | None = None,
        files: Mapping[str, str] | None = None,
        env_vars: Mapping[str, Any] | None = None,
        extra_dockerfile_commands: Iterable[str] | None = None,
        path: str | None = None,
        flow_file: str | None = None,
        dockerfile: str | None = None,
        image: str | None = None,
        docker: str = "docker",
        progress: Callable[[str], None] | None = _print_progress,
        **ignored: Any,
    ) -> None:
        if path is not None and not str(path).startswith("/"):
            raise StorageError(
                f"Docker(path={path!r}): the flow file's path in the image must be absolute."
            )
        files = _text_map(files, "files")
        for target in files.values():
            if not target.startswith("/"):
                raise StorageError(
                    f"Docker(files=...): {target!r} is not an absolute path in the image."
                )
        # `ignored`: 1.x settings with nothing to do here (prefect_version, local_image,
        # build_kwargs, tls_config, ...): the build always uses the daemon DOCKER_HOST names.
        self.settings: dict[str, Any] = {
            key: value
            for key, value in {
                "base_image": base_image,
                "dockerfile": dockerfile,
                "registry_url": registry_url,
                "image_name": image_name,
                "image_tag": image_tag,
                "python_dependencies": _text_list(python_dependencies, "python_dependencies")
                or None,
                "files": files or None,
                "env_vars": _text_map(env_vars, "env_vars") or None,
                "extra_dockerfile_commands": _text_list(
                    extra_dockerfile_commands, "extra_dockerfile_commands"
                )
                or None,
            }.items()
            if value is not None
        }
        check_json(self.settings, "Docker storage")
        self.image = image
        self.path = path
        self.flow_file = flow_file
        self.docker = docker
        self.progress = progress

    # -- registration ------------------------------------------------------------------------

    def build(self, flow: Flow) -> Docker:
        """Build (and push, with `registry_url`) the image of `flow`; returns the storage
        to register, naming the image and the flow file's path in it."""
        if self.settings.get("dockerfile"):
            raise StorageError(
                "Docker(dockerfile=...) is not offered: Proctor writes the Dockerfile. Add "
                "your lines with extra_dockerfile_commands=[...], or build the image "
                "yourself and register with Local(path=<the file in the image>) plus "
                "DockerRun(image=...)."
            )
        base_image = self.settings.get("base_image")
        if not base_image:
            raise StorageError(
                "Docker storage needs base_image=...: an image with Python and Proctor "
                "installed (the flow is copied on top of it)."
            )
        source = self.flow_file or flow.source_file
        if source is None or not Path(source).is_file():
            raise StorageError(
                f"Docker storage copies the flow's file into the image, but flow {flow.name!r} "
                "has none here (an interactive session?): pass Docker(flow_file='flow.py')."
            )
        flow_file = Path(source).resolve()
        path = self.path or f"{FLOWS_FOLDER}/{flow_file.name}"
        plan = docker_build.BuildPlan(
            base_image=str(base_image),
            flow_file=flow_file,
            flow_path=path,
            files=self.settings.get("files", {}),
            env_vars=self.settings.get("env_vars", {}),
            python_dependencies=self.settings.get("python_dependencies", ()),
            extra_commands=self.settings.get("extra_dockerfile_commands", ()),
        )
        name = self.settings.get("image_name") or _NAME.sub("-", flow.name.lower()).strip("-.")
        registry = str(self.settings.get("registry_url") or "").rstrip("/")
        if registry:
            name = f"{registry}/{name}"
        tag = self.settings.get("image_tag") or docker_build.context_digest(plan)
        image = f"{name}:{tag}"
        docker_build.build_image(
            plan,
            image,
            docker=self.docker,
            labels={"io.proctor.flow-name": flow.name},
            output=self.progress,
        )
        if registry:
            docker_build.push_image(image, docker=self.docker, output=self.progress)
        built = Docker(image=image, path=path, docker=self.docker, progress=self.progress)
        built.settings = dict(self.settings)
        return built

    def run_config_for(self, run_config: Mapping[str, Any]) -> dict[str, Any]:
        """The run config to register: one that names no image gets the built one (a
        flow without a run config becomes `DockerRun(image=...)`); an image of its own
        wins."""
        config = dict(run_config)
        kind = str(config.get("type") or "")
        if self.image and kind in _IMAGE_RUN_CONFIGS and not config.get("image"):
            config["type"] = "kubernetes" if kind == "kubernetes" else "docker"
            config["image"] = self.image
        return config

    # -- in the container --------------------------------------------------------------------

    def load_flow(self, flow_name: str | None = None) -> Flow:
        if not self.path:
            raise StorageError(
                f"Flow {flow_name or ''!s} has Docker storage that was never built (it was "
                "registered by 1.x, or saved as metadata only): register it again with "
                "Proctor, which builds its image."
            )
        if not Path(self.path).is_file():
            raise StorageError(
                f"Flow file {self.path} is not here: it is in image {self.image}, so the flow "
                "runs only in a container of it. Run it with a Docker agent (`proctor agent "
                "start --type docker`)."
            )
        return Local(self.path).load_flow(flow_name)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type_name}
        if self.image:
            data["image"] = self.image
        if self.path:
            data["path"] = self.path
        if self.settings:
            data["settings"] = dict(self.settings)
        return data

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        # Not through __init__: a description of 1.x metadata may hold any setting.
        built = cls.__new__(cls)
        built.settings = dict(data.get("settings") or {})
        built.image = data.get("image")
        built.path = data.get("path")
        built.flow_file = None
        built.docker = "docker"
        built.progress = _print_progress
        return built

    def __getattr__(self, name: str) -> Any:
        # 1.x code reads settings as attributes (`storage.registry_url`).
        settings = self.__dict__.get("settings", {})
        if name in settings:
            return settings[name]
        raise AttributeError(f"Docker storage has no setting {name!r}")
