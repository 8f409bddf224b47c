"""`Git` storage: a flow file inside a git repository, fetched by the agent with ``git``."""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Self

from proctor.core.errors import StorageError
from proctor.core.storage.base import Storage, storage_home

if TYPE_CHECKING:
    from proctor.core.flow import Flow

__all__ = ["Git"]

_FULL_SHA = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
_ABBREVIATED_SHA = re.compile(r"[0-9a-fA-F]{4,64}")
_TIMEOUT_SECONDS = 600
# Checkouts of older commits are pruned once no run is likely to still be loading them.
_PRUNE_AFTER_SECONDS = 600
_ERROR_LINES = 4


class _GitFailed(Exception):
    def __init__(self, args: list[str], stderr: str) -> None:
        super().__init__(stderr)
        self.args_run = args
        self.stderr = stderr

    def summary(self) -> str:
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        lines = [line.removeprefix("fatal: ").removeprefix("error: ") for line in lines]
        text = " ".join(lines[-_ERROR_LINES:]).rstrip(".") or "no error output"
        return text if len(text) <= 500 else text[:497] + "..."


def _redact(url: str) -> str:
    """Hide a password or token embedded in a URL (``https://user:token@host``)."""
    return re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", url)


class Git(Storage):
    """A file in a git repository, cloned by the agent before each run.

    Args:
        url: anything ``git clone`` accepts: ``https://...``, ``git@host:org/repo.git``,
            ``file:///srv/repo.git``. Credentials come from git's own configuration (SSH
            keys, credential helpers); a token written into the URL would reach the server.
        ref: a branch, tag, or commit id; ``"HEAD"`` (the default) is the remote's default
            branch.
        path: the flow file, relative to the repository root.

    The checkout lives under ``$PROCTOR_HOME/storage/git/<hash of url and ref>/<commit>``.
    A full 40-character commit id is fetched once and reused; a branch, tag or ``HEAD`` is
    fetched again at each load (shallowly) so runs pick up newly pushed code.
    """

    type_name = "git"
    _fields = {"url": ((str,), True), "ref": ((str,), False), "path": ((str,), False)}

    def __init__(self, url: str, ref: str = "HEAD", path: str = "flows.py") -> None:
        if not isinstance(url, str) or not url.strip():
            raise StorageError(f"Git storage needs a repository URL, got {url!r}.")
        if url.startswith("-"):
            raise StorageError(f"Git repository URL {url!r} cannot start with '-'.")
        if (
            not isinstance(ref, str)
            or not ref.strip()
            or ref.startswith("-")
            or (any(c.isspace() for c in ref))
        ):
            raise StorageError(
                f"Git ref {ref!r} is not valid: give a branch, tag or commit id, or 'HEAD'."
            )
        if not isinstance(path, str) or not path.strip():
            raise StorageError(f"Git storage needs the flow file's path in the repo, got {path!r}.")
        pure = PurePosixPath(path.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts:
            raise StorageError(
                f"Git path {path!r} must be relative to the repository root and stay inside it."
            )
        self.url = url
        self.ref = ref
        self.path = str(pure)

    @property
    def cache_dir(self) -> Path:
        """The folder holding this url and ref's checkouts (one sub-folder per commit)."""
        import hashlib

        key = hashlib.sha256(f"{self.url}\n{self.ref}".encode()).hexdigest()[:24]
        return storage_home() / "git" / key

    def _where(self) -> str:
        return f"{_redact(self.url)} at {self.ref!r}"

    def fetch(self) -> Path:
        """Make sure the flow file is checked out here and return its path."""
        root = self.cache_dir
        cached = root / self.ref.lower()
        checkout = (
            cached if _FULL_SHA.fullmatch(self.ref) and cached.is_dir() else self._clone(root)
        )
        file = checkout / self.path
        if not file.is_file():
            top = sorted(p.name for p in checkout.iterdir() if p.name != ".git")
            shown = ", ".join(top[:20]) + (", ..." if len(top) > 20 else "")
            raise StorageError(
                f"No file {self.path!r} in {self._where()}. Check the path, and that the file "
                f"is committed and pushed. Top-level entries: {shown or '(none)'}."
            )
        return file

    def load_flow(self, flow_name: str | None = None) -> Flow:
        from proctor.core.loader import load_flows_from_path, select_flow

        file = self.fetch()
        return select_flow(load_flows_from_path(file), flow_name, str(file))

    def _git(self, args: list[str], cwd: Path) -> str:
        import subprocess

        env = {
            **os.environ,
            "GIT_TERMINAL_PROMPT": "0",  # fail instead of waiting for a password
            "LC_ALL": "C",
        }
        command = ["git", "-c", "init.defaultBranch=proctor", *args]
        try:
            done = subprocess.run(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=_TIMEOUT_SECONDS,
                check=False,
            )
        except FileNotFoundError:
            raise StorageError(
                "Git storage needs the `git` program, which is not installed or not on PATH."
            ) from None
        except subprocess.TimeoutExpired:
            raise StorageError(
                f"git {args[0]} for {self._where()} took over {_TIMEOUT_SECONDS} s. Check "
                "network access to the repository."
            ) from None
        if done.returncode != 0:
            raise _GitFailed(args, done.stderr)
        return done.stdout

    def _clone(self, root: Path) -> Path:
        import shutil
        import tempfile

        try:
            root.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix="tmp-", dir=root))
        except OSError as exc:
            raise StorageError(f"Cannot create the git cache folder {root}: {exc}.") from exc
        try:
            self._git(["init", "--quiet"], work)
            self._git(["remote", "add", "origin", self.url], work)
            target = self._fetch_ref(work)
            self._git(["checkout", "--quiet", "--detach", target], work)
            commit = self._git(["rev-parse", "HEAD"], work).strip()
        except BaseException as exc:
            shutil.rmtree(work, ignore_errors=True)
            with contextlib.suppress(OSError):
                root.rmdir()  # only succeeds when nothing else is cached there
            if isinstance(exc, _GitFailed):
                raise StorageError(
                    f"git {exc.args_run[0]} failed for {self._where()}: {exc.summary()}."
                ) from None
            raise
        final = root / commit
        try:
            work.rename(final)
        except OSError:
            # This commit is checked out already (by an earlier load or a concurrent one).
            shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.utime(final)  # marks it as in use, so that pruning spares it
        self._prune(root, keep=final)
        return final

    def _fetch_ref(self, work: Path) -> str:
        """Fetch the ref into `work` and return what to check out."""
        try:
            self._git(["fetch", "--quiet", "--depth", "1", "--no-tags", "origin", self.ref], work)
        except _GitFailed as shallow:
            missing_ref = "couldn't find remote ref" in shallow.stderr
            if not _ABBREVIATED_SHA.fullmatch(self.ref):
                raise self._fetch_error(shallow, missing_ref) from None
            # A commit id: the server may refuse to send it alone, or it may be abbreviated.
            # Fetch all branches and tags, then look it up locally.
            try:
                self._git(["fetch", "--quiet", "--tags", "origin"], work)
            except _GitFailed as full:
                raise self._fetch_error(full, False) from None
            try:
                return self._git(
                    ["rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}"], work
                ).strip()
            except _GitFailed:
                raise StorageError(
                    f"Commit {self.ref!r} was not found in {_redact(self.url)}. Check the id, "
                    "and that the commit is pushed to a branch or tag."
                ) from None
        return "FETCH_HEAD"

    def _fetch_error(self, exc: _GitFailed, missing_ref: bool) -> StorageError:
        if missing_ref:
            return StorageError(
                f"Ref {self.ref!r} was not found in {_redact(self.url)}. Check that the branch, "
                f"tag or commit exists and is pushed (git said: {exc.summary()})."
            )
        return StorageError(
            f"Cannot fetch from git repository {_redact(self.url)}: {exc.summary()}. Check "
            "the URL, network access, and that this machine's git credentials (SSH key or "
            "credential helper) can read the repository."
        )

    @staticmethod
    def _prune(root: Path, keep: Path) -> None:
        import shutil

        now = time.time()
        for entry in root.iterdir():
            if entry == keep:
                continue
            limit = _PRUNE_AFTER_SECONDS * (6 if entry.name.startswith("tmp-") else 1)
            try:
                if now - entry.stat().st_mtime > limit:
                    shutil.rmtree(entry, ignore_errors=True)
            except OSError:
                pass

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "url": self.url, "ref": self.ref, "path": self.path}

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(data["url"], ref=data.get("ref", "HEAD"), path=data.get("path", "flows.py"))
