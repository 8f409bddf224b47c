"""Building a flow into an image: the build context, `docker build` and `docker push`.

`Docker` storage calls `build_image` at registration. The context is a temporary folder
holding the Dockerfile, the flow's file and any extra files; it is deleted afterwards,
whatever happened. Every failure is a `StorageError` saying what the daemon said and what
to do: the daemon is down, the base image is missing, a build step failed, the push was
refused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from proctor.core.errors import StorageError

__all__ = ["BuildPlan", "build_image", "dockerfile", "push_image"]

#: Lines of the build's output quoted in a failure message.
_QUOTED_LINES = 15
_DAEMON_DOWN = ("cannot connect to the docker daemon", "is the docker daemon running")


@dataclass(frozen=True)
class BuildPlan:
    """What goes into the image: `flow_file` copied to `flow_path`, `files` (local path ->
    path in the image), `env_vars`, `python_dependencies` (pip install) and
    `extra_commands` (Dockerfile lines), on top of `base_image`."""

    base_image: str
    flow_file: Path
    flow_path: str
    files: Mapping[str, str] = field(default_factory=dict)
    env_vars: Mapping[str, str] = field(default_factory=dict)
    python_dependencies: Sequence[str] = ()
    extra_commands: Sequence[str] = ()


def dockerfile(plan: BuildPlan) -> str:
    """The Dockerfile of `plan`, its sources named as `write_context` lays them out."""
    lines = [f"FROM {plan.base_image}"]
    for key, value in sorted(plan.env_vars.items()):
        # JSON quoting is valid Dockerfile quoting for ENV values (spaces, quotes).
        lines.append(f"ENV {key}={json.dumps(str(value))}")
    if plan.python_dependencies:
        # Exec form: no shell needed in the base image, and no quoting of the names.
        pip = ["python", "-m", "pip", "install", "--no-cache-dir", *plan.python_dependencies]
        lines.append(f"RUN {json.dumps(pip)}")
    for index, target in enumerate(plan.files.values()):
        lines.append(f"COPY {json.dumps([f'files/{index}', target])}")
    lines.append(f"COPY {json.dumps(['flow/' + plan.flow_file.name, plan.flow_path])}")
    lines.extend(plan.extra_commands)
    return "\n".join(lines) + "\n"


def write_context(plan: BuildPlan, folder: Path) -> None:
    """Lay out the build context of `plan` in `folder` (empty)."""
    for index, source in enumerate(plan.files):
        found = Path(source).expanduser()
        target = folder / "files" / str(index)
        target.parent.mkdir(parents=True, exist_ok=True)
        if found.is_dir():
            shutil.copytree(found, target)
        elif found.is_file():
            shutil.copy2(found, target)
        else:
            raise StorageError(
                f"Docker storage: files= names {source!r}, which does not exist here. "
                "Give the path of a file or folder on this machine."
            )
    (folder / "flow").mkdir()
    shutil.copy2(plan.flow_file, folder / "flow" / plan.flow_file.name)
    (folder / "Dockerfile").write_text(dockerfile(plan))


def context_digest(plan: BuildPlan) -> str:
    """A short digest of what the image is built from: the default tag, so that
    registering an unchanged flow builds the same tag (and comes back "unchanged")."""
    digest = hashlib.sha256(dockerfile(plan).encode())
    sources = [plan.flow_file, *(Path(source).expanduser() for source in plan.files)]
    for source in sources:
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for file in files:
            digest.update(str(file.relative_to(source) if source.is_dir() else "").encode())
            digest.update(file.read_bytes() if file.is_file() else b"")
    return digest.hexdigest()[:12]


def _docker(
    docker: str, args: Sequence[str], output: Callable[[str], None] | None = None
) -> tuple[int, list[str]]:
    """Run `docker ARGS`; its output lines go to `output` as they come. (code, lines)."""
    try:
        process = subprocess.Popen(
            [docker, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except FileNotFoundError:
        raise StorageError(
            f"Docker storage builds the flow's image with the `{docker}` command, which is "
            "not installed here: install Docker on the machine that registers the flow."
        ) from None
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if output is not None:
            output(line.rstrip("\n"))
    return process.wait(), lines


def _daemon_down(lines: Sequence[str]) -> bool:
    return any(marker in line.lower() for line in lines for marker in _DAEMON_DOWN)


def _down_error(lines: Sequence[str]) -> StorageError:
    said = next((line for line in lines if "docker daemon" in line.lower()), lines[-1])
    return StorageError(
        f"The Docker daemon does not answer ({said.strip()}): start it (or set DOCKER_HOST "
        "to one that runs), then register the flow again."
    )


def build_image(
    plan: BuildPlan,
    image: str,
    *,
    docker: str = "docker",
    labels: Mapping[str, str] | None = None,
    output: Callable[[str], None] | None = None,
) -> None:
    """`docker build` `plan` into `image` (``name:tag``), its progress to `output`."""
    code, said = _docker(docker, ["version", "--format", "{{.Server.Version}}"])
    if code != 0:
        if _daemon_down(said) or not said:
            raise _down_error(said or ["no answer"])
        raise StorageError(f"`{docker} version` failed: {' '.join(said[-3:])}")
    had_base = _docker(docker, ["image", "inspect", "--format", "{{.Id}}", plan.base_image])[0] == 0
    folder = Path(tempfile.mkdtemp(prefix="proctor-build-"))
    try:
        write_context(plan, folder)
        args = ["build", "--tag", image]
        for key, value in sorted((labels or {}).items()):
            args += ["--label", f"{key}={value}"]
        code, lines = _docker(docker, [*args, str(folder)], output)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if code == 0:
        return
    quoted = "\n".join(lines[-_QUOTED_LINES:])
    if _daemon_down(lines):
        raise _down_error(lines)
    if not had_base and _docker(docker, ["image", "inspect", plan.base_image])[0] != 0:
        raise StorageError(
            f"Base image {plan.base_image!r} is not on this machine and could not be pulled. "
            f"The daemon said:\n{quoted}\nPull or build it first (`docker pull "
            f"{plan.base_image}`), or fix Docker(base_image=...)."
        )
    raise StorageError(
        f"Building image {image!r} failed (docker build exit code {code}). The daemon "
        f"said:\n{quoted}\nFix the step it names (python_dependencies need a package index "
        "reachable from the build; extra_dockerfile_commands run in the base image), then "
        "register the flow again."
    )


def push_image(
    image: str, *, docker: str = "docker", output: Callable[[str], None] | None = None
) -> None:
    """`docker push` `image` to the registry its name starts with."""
    code, lines = _docker(docker, ["push", image], output)
    if code == 0:
        return
    if _daemon_down(lines):
        raise _down_error(lines)
    quoted = "\n".join(lines[-_QUOTED_LINES:])
    raise StorageError(
        f"Pushing image {image!r} failed. The daemon said:\n{quoted}\nLog in to the "
        "registry (`docker login <registry>`) or fix Docker(registry_url=...), then "
        "register the flow again."
    )
