"""Flow storage: local files, modules, git repositories and fsspec URLs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import fsspec
import pytest

import proctor.core.storage as core_storage
from proctor.core.errors import FlowLoadError, ProctorError, StorageError
from proctor.core.storage import Git, Local, Module, Remote, Storage, storage_from_dict
from proctor.core.storage.git import _redact


def flow_source(*names: str, version: str = "v1") -> str:
    """A flow file defining one flow per name, plus a VERSION marker."""
    lines = ["from proctor import Flow, task", "", f"VERSION = {version!r}", "", ""]
    lines += ["@task", "def greet():", "    return VERSION", "", ""]
    for name in names:
        lines += [f"with Flow({name!r}) as flow_{name.replace('-', '_')}:", "    greet()", ""]
    return "\n".join(lines)


def version_of(file: Path) -> str:
    for line in file.read_text().splitlines():
        if line.startswith("VERSION = "):
            return str(eval(line.split("=", 1)[1]))
    raise AssertionError(f"{file} has no VERSION line")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PROCTOR_HOME", str(home))
    # Keep the machine's git configuration (signing, hooks, default branch) out of the tests.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{key}_NAME", "Proctor Tests")
        monkeypatch.setenv(f"{key}_EMAIL", "tests@example.invalid")
    return home


# -- Local ----------------------------------------------------------------------------------


def test_local_stores_an_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    storage = Local("flows/etl.py")
    assert storage.to_dict() == {"type": "local", "path": str(tmp_path / "flows" / "etl.py")}
    assert storage_from_dict(storage.to_dict()) == storage


def test_local_fetch_checks_the_file(tmp_path: Path) -> None:
    file = tmp_path / "etl.py"
    with pytest.raises(StorageError, match=r"etl\.py does not exist on this machine"):
        Local(file).fetch()
    file.write_text(flow_source("etl"))
    assert Local(file).fetch() == file


def test_local_bad_input() -> None:
    with pytest.raises(StorageError, match="needs the path of a flow file"):
        Local("")
    with pytest.raises(StorageError, match="needs the path of a flow file"):
        Local(3)  # type: ignore[arg-type]


def test_local_missing_file_is_a_storage_error_on_load(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist on this machine"):
        Local(tmp_path / "nothing.py").load_flow("etl")


def test_local_load_flow(tmp_path: Path) -> None:
    file = tmp_path / "etl.py"
    file.write_text(flow_source("etl", "report"))
    assert Local(file).load_flow("etl").name == "etl"
    assert Local(file).load_flow("report").name == "report"
    with pytest.raises(FlowLoadError, match=r"no flow named 'missing'.*etl, report"):
        Local(file).load_flow("missing")
    with pytest.raises(FlowLoadError, match="defines several flows"):
        Local(file).load_flow()
    single = tmp_path / "single.py"
    single.write_text(flow_source("only"))
    assert Local(single).load_flow().name == "only"


# -- Module ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "a..b", "1abc", "a-b.c", "a.b.", " a"])
def test_module_bad_name(name: str) -> None:
    with pytest.raises(StorageError, match="needs a dotted module name"):
        Module(name)


def test_module_dict_round_trip() -> None:
    storage = Module("my_package.flows")
    assert storage.to_dict() == {"type": "module", "name": "my_package.flows"}
    assert storage_from_dict(storage.to_dict()) == storage


def test_module_missing_is_a_storage_error() -> None:
    missing = f"proctor_missing_{uuid.uuid4().hex}"
    with pytest.raises(StorageError, match=rf"Module '{missing}' cannot be found.*PYTHONPATH"):
        Module(missing).load_flow("etl")
    with pytest.raises(StorageError, match=rf"Module '{missing}\.flows' cannot be found"):
        Module(f"{missing}.flows").load_flow("etl")
    assert missing not in sys.modules


@pytest.fixture
def flow_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An importable package `<name>` with a `flows` module; removed from sys.modules after."""
    name = f"proctor_test_pkg_{uuid.uuid4().hex}"
    package = tmp_path / "site" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "flows.py").write_text(flow_source("etl", "report"))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    yield name
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[module]


def test_module_load_flow(flow_package: str) -> None:
    storage = Module(f"{flow_package}.flows")
    assert storage.load_flow("report").name == "report"
    with pytest.raises(FlowLoadError, match="no flow named 'nope'"):
        storage.load_flow("nope")


def test_module_does_not_import_at_construction(flow_package: str) -> None:
    Module(f"{flow_package}.flows")
    assert flow_package not in sys.modules


# -- Git ------------------------------------------------------------------------------------


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


class Repo:
    """A real repository in tmp_path with tagged history:

    commit 1 (tags v1, light): flows.py at v1
    commit 2 (main, HEAD):     flows.py at v2, pipelines/etl.py
    branch feature:            flows.py at v3
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        git("init", "--quiet", "--initial-branch=main", cwd=root)
        self.commit({"flows.py": flow_source("greet", version="v1")}, "first")
        self.v1 = git("rev-parse", "HEAD", cwd=root)
        git("tag", "-a", "v1", "-m", "release 1", cwd=root)
        git("tag", "light", cwd=root)
        self.commit(
            {
                "flows.py": flow_source("greet", version="v2"),
                "pipelines/etl.py": flow_source("etl", version="etl-v2"),
            },
            "second",
        )
        self.v2 = git("rev-parse", "HEAD", cwd=root)
        git("checkout", "--quiet", "-b", "feature", cwd=root)
        self.commit({"flows.py": flow_source("greet", version="v3")}, "third")
        git("checkout", "--quiet", "main", cwd=root)

    @property
    def url(self) -> str:
        return self.root.as_uri()

    def commit(self, files: dict[str, str], message: str) -> str:
        for name, text in files.items():
            (self.root / name).parent.mkdir(parents=True, exist_ok=True)
            (self.root / name).write_text(text)
        git("add", "--all", cwd=self.root)
        git("commit", "--quiet", "-m", message, cwd=self.root)
        return git("rev-parse", "HEAD", cwd=self.root)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def test_git_fetches_head_shallowly_into_the_cache(repo: Repo, isolated_env: Path) -> None:
    storage = Git(repo.url)
    file = storage.fetch()
    assert version_of(file) == "v2"
    assert storage.cache_dir.parent == isolated_env / "storage" / "git"
    assert file == storage.cache_dir / repo.v2 / "flows.py"
    assert git("rev-parse", "--is-shallow-repository", cwd=file.parent) == "true"
    assert [p.name for p in storage.cache_dir.iterdir()] == [repo.v2]


@pytest.mark.parametrize(
    ("ref", "version"),
    [("HEAD", "v2"), ("main", "v2"), ("feature", "v3"), ("v1", "v1"), ("light", "v1")],
)
def test_git_branches_and_tags(repo: Repo, ref: str, version: str) -> None:
    assert version_of(Git(repo.url, ref=ref).fetch()) == version


def test_git_full_commit_id_is_fetched_once(repo: Repo) -> None:
    storage = Git(repo.url, ref=repo.v1)
    assert version_of(storage.fetch()) == "v1"
    # The checkout of a fixed commit is reused: the repository is no longer needed.
    (repo.root / ".git").rename(repo.root / "moved")
    assert version_of(storage.fetch()) == "v1"


def test_git_abbreviated_commit_id(repo: Repo) -> None:
    assert version_of(Git(repo.url, ref=repo.v1[:10]).fetch()) == "v1"


def test_git_branch_is_fetched_again_at_each_load(repo: Repo) -> None:
    storage = Git(repo.url, ref="main")
    first = storage.fetch()
    assert version_of(first) == "v2"
    newest = repo.commit({"flows.py": flow_source("greet", version="v4")}, "fourth")
    second = storage.fetch()
    assert version_of(second) == "v4"
    assert second == storage.cache_dir / newest / "flows.py"
    # Nothing half-done is left behind, and the older checkout is kept for a while.
    assert sorted(p.name for p in storage.cache_dir.iterdir()) == sorted([repo.v2, newest])


def test_git_prunes_old_checkouts_and_abandoned_temporary_folders(repo: Repo) -> None:
    storage = Git(repo.url, ref="main")
    old = storage.fetch().parent
    abandoned = storage.cache_dir / "tmp-abandoned"
    abandoned.mkdir()
    an_hour_ago = time.time() - 3600
    newest = repo.commit({"flows.py": flow_source("greet", version="v5")}, "fifth")
    recent_tmp = storage.cache_dir / "tmp-in-progress"
    recent_tmp.mkdir()
    for folder in (old, abandoned):
        os.utime(folder, (an_hour_ago, an_hour_ago))
    assert version_of(storage.fetch()) == "v5"
    # The old checkout and the abandoned clone go; a clone still in progress stays.
    assert sorted(p.name for p in storage.cache_dir.iterdir()) == sorted(
        [newest, "tmp-in-progress"]
    )


def test_git_concurrent_loads_share_one_checkout(repo: Repo) -> None:
    storage = Git(repo.url, ref="v1")
    with ThreadPoolExecutor(max_workers=4) as pool:
        files = list(pool.map(lambda _: storage.fetch(), range(4)))
    assert set(files) == {storage.cache_dir / repo.v1 / "flows.py"}
    assert version_of(files[0]) == "v1"
    assert [p.name for p in storage.cache_dir.iterdir()] == [repo.v1]


def test_git_file_in_a_subfolder(repo: Repo) -> None:
    file = Git(repo.url, path="pipelines/etl.py").fetch()
    assert file.name == "etl.py" and version_of(file) == "etl-v2"


def test_git_missing_ref(repo: Repo) -> None:
    storage = Git(repo.url, ref="no-such-branch")
    with pytest.raises(StorageError) as info:
        storage.fetch()
    message = str(info.value)
    assert "Ref 'no-such-branch' was not found in file://" in message
    assert "exists and is pushed" in message
    assert "couldn't find remote ref no-such-branch" in message
    assert not storage.cache_dir.exists()


def test_git_missing_commit_id(repo: Repo) -> None:
    storage = Git(repo.url, ref="deadbeef")
    with pytest.raises(StorageError, match="Commit 'deadbeef' was not found"):
        storage.fetch()
    assert not storage.cache_dir.exists()


def test_git_bad_url(tmp_path: Path) -> None:
    storage = Git((tmp_path / "not-a-repo").as_uri())
    with pytest.raises(StorageError) as info:
        storage.fetch()
    message = str(info.value)
    assert "Cannot fetch from git repository file://" in message
    assert "does not appear to be a git repository" in message
    assert "Check the URL" in message
    assert not storage.cache_dir.exists()


def test_git_missing_path(repo: Repo) -> None:
    with pytest.raises(StorageError) as info:
        Git(repo.url, ref="v1", path="pipelines/etl.py").fetch()
    message = str(info.value)
    assert "No file 'pipelines/etl.py'" in message
    assert "at 'v1'" in message
    assert "Top-level entries: flows.py" in message


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"url": ""}, "needs a repository URL"),
        ({"url": "--upload-pack=evil"}, "cannot start with '-'"),
        ({"url": "file:///r", "ref": "-b"}, "is not valid"),
        ({"url": "file:///r", "ref": "two words"}, "is not valid"),
        ({"url": "file:///r", "ref": ""}, "is not valid"),
        ({"url": "file:///r", "path": "../outside.py"}, "stay inside it"),
        ({"url": "file:///r", "path": "/etc/flows.py"}, "stay inside it"),
        ({"url": "file:///r", "path": ""}, "needs the flow file's path"),
    ],
)
def test_git_bad_input(kwargs: dict[str, Any], problem: str) -> None:
    with pytest.raises(StorageError, match=problem):
        Git(**kwargs)


def test_git_cache_key_depends_on_url_and_ref(repo: Repo) -> None:
    assert Git(repo.url, "main").cache_dir != Git(repo.url, "v1").cache_dir
    assert Git(repo.url, "main").cache_dir != Git(repo.url + "/", "main").cache_dir
    assert Git(repo.url, "main").cache_dir == Git(repo.url, "main", path="x.py").cache_dir


def test_git_credentials_are_hidden_in_messages() -> None:
    assert _redact("https://bot:s3cret@example.com/r.git") == "https://bot:***@example.com/r.git"
    assert _redact("https://example.com/r.git") == "https://example.com/r.git"
    assert _redact("git@example.com:org/r.git") == "git@example.com:org/r.git"


def test_git_dict_round_trip() -> None:
    storage = Git("https://example.com/r.git", ref="v1.2", path="etl/flows.py")
    assert storage.to_dict() == {
        "type": "git",
        "url": "https://example.com/r.git",
        "ref": "v1.2",
        "path": "etl/flows.py",
    }
    assert storage_from_dict(storage.to_dict()) == storage
    defaults = storage_from_dict({"type": "git", "url": "https://example.com/r.git"})
    assert defaults == Git("https://example.com/r.git", ref="HEAD", path="flows.py")


def test_git_load_flow(repo: Repo) -> None:
    assert Git(repo.url, ref="v1").load_flow("greet").name == "greet"
    assert Git(repo.url, path="pipelines/etl.py").load_flow("etl").name == "etl"
    with pytest.raises(FlowLoadError, match="no flow named 'etl'"):
        Git(repo.url, ref="v1").load_flow("etl")


# -- Remote ---------------------------------------------------------------------------------


@pytest.fixture
def memory_bucket() -> Iterator[str]:
    bucket = f"proctor-test-{uuid.uuid4().hex}"
    yield bucket
    fs = fsspec.filesystem("memory")
    if fs.exists(f"/{bucket}"):
        fs.rm(f"/{bucket}", recursive=True)


def test_remote_memory_fetch(memory_bucket: str, isolated_env: Path) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe_file(f"/{memory_bucket}/flows/etl.py", flow_source("etl", version="m1").encode())
    storage = Remote(f"memory://{memory_bucket}/flows/etl.py")
    file = storage.fetch()
    assert file.name == "etl.py"
    assert file.parent.parent == isolated_env / "storage" / "remote"
    assert version_of(file) == "m1"
    # A new upload is picked up at the next fetch, and no temporary file stays behind.
    fs.pipe_file(f"/{memory_bucket}/flows/etl.py", flow_source("etl", version="m2").encode())
    assert version_of(storage.fetch()) == "m2"
    assert [p.name for p in file.parent.iterdir()] == ["etl.py"]


def test_remote_file_url_fetch(tmp_path: Path) -> None:
    source = tmp_path / "shared" / "report.py"
    source.parent.mkdir()
    source.write_text(flow_source("report", version="f1"))
    file = Remote(source.as_uri()).fetch()
    assert file != source
    assert file.read_text() == source.read_text()


def test_remote_missing_file(memory_bucket: str) -> None:
    with pytest.raises(StorageError, match=rf"No flow file at 'memory://{memory_bucket}/x\.py'"):
        Remote(f"memory://{memory_bucket}/x.py").fetch()


def test_remote_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder"):
        Remote(tmp_path.as_uri()).fetch()


def test_remote_unknown_protocol() -> None:
    with pytest.raises(StorageError, match=r"Cannot download 'nosuchproto://b/x\.py'.*Protocol"):
        Remote("nosuchproto://b/x.py").fetch()


def test_remote_bad_input() -> None:
    with pytest.raises(StorageError, match="needs the URL of a flow file"):
        Remote("")
    with pytest.raises(StorageError, match="storage_options must be a dict"):
        Remote("memory://b/x.py", storage_options="anon")  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="not JSON-serialisable"):
        Remote("memory://b/x.py", storage_options={"client": object()}).to_dict()


def test_remote_dict_round_trip() -> None:
    storage = Remote("s3://bucket/flows/etl.py", storage_options={"anon": True})
    assert storage.to_dict() == {
        "type": "remote",
        "url": "s3://bucket/flows/etl.py",
        "storage_options": {"anon": True},
    }
    assert storage_from_dict(json.loads(json.dumps(storage.to_dict()))) == storage
    assert storage_from_dict({"type": "remote", "url": "memory://b/f.py"}) == Remote(
        "memory://b/f.py"
    )


def test_remote_load_flow(memory_bucket: str, tmp_path: Path) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe_file(f"/{memory_bucket}/etl.py", flow_source("etl", "other").encode())
    assert Remote(f"memory://{memory_bucket}/etl.py").load_flow("etl").name == "etl"
    local = tmp_path / "f.py"
    local.write_text(flow_source("solo"))
    assert Remote(local.as_uri()).load_flow().name == "solo"


# -- descriptions ---------------------------------------------------------------------------


def every_kind(tmp_path: Path) -> list[Storage]:
    return [
        Local(tmp_path / "etl.py"),
        Module("pkg.flows"),
        Git("https://example.com/r.git"),
        Git("git@example.com:org/r.git", ref="0" * 40, path="a/b.py"),
        Remote("memory://b/etl.py"),
        Remote("s3://b/etl.py", storage_options={"profile": "ci", "client_kwargs": {"x": 1}}),
    ]


def test_dict_round_trip_for_every_kind(tmp_path: Path) -> None:
    for storage in every_kind(tmp_path):
        data = storage.to_dict()
        assert isinstance(data["type"], str)
        text = json.dumps(data)
        rebuilt = storage_from_dict(json.loads(text))
        assert type(rebuilt) is type(storage)
        assert rebuilt == storage
        assert hash(rebuilt) == hash(storage)


def test_equality_is_by_description(tmp_path: Path) -> None:
    assert Local(tmp_path / "a.py") == Local(str(tmp_path / "a.py"))
    assert Git("u", ref="main") != Git("u", ref="v1")
    assert Module("a.b") != Local(tmp_path / "a.py")
    assert len(set(every_kind(tmp_path) + every_kind(tmp_path))) == len(every_kind(tmp_path))
    assert repr(Git("u", ref="v1")) == "Git(url='u', ref='v1', path='flows.py')"


def test_equality_does_not_need_json_options() -> None:
    client = object()
    a = Remote("memory://b/x.py", storage_options={"client": client})
    assert a == Remote("memory://b/x.py", storage_options={"client": client})
    assert a != Remote("memory://b/x.py")
    assert isinstance(hash(a), int)
    assert repr(a).startswith("Remote(url='memory://b/x.py', storage_options={'client': <object")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (None, "must be a dict, got NoneType"),
        (["git"], "must be a dict, got list"),
        ({"url": "x"}, "Unknown storage type None"),
        # The 1.x compatibility layer adds its types to the list when it is imported.
        (
            {"type": "s3"},
            r"Unknown storage type 's3'\. Known types: ([\w-]+, )*git, local, module, ",
        ),
        ({"type": "git"}, "needs a 'url' key"),
        ({"type": "git", "url": 5}, "'url' of a 'git' storage description must be str"),
        ({"type": "git", "url": "u", "branch": "main"}, "Unknown key\\(s\\) 'branch'"),
        ({"type": "git", "url": "u", "ref": "-x"}, "is not valid"),
        ({"type": "local"}, "needs a 'path' key"),
        ({"type": "module", "name": "not a module"}, "dotted module name"),
        ({"type": "remote", "url": "u", "storage_options": "x"}, "must be dict or null"),
    ],
)
def test_bad_descriptions_are_storage_errors(data: Any, problem: str) -> None:
    with pytest.raises(StorageError, match=problem):
        storage_from_dict(data)


def test_storage_errors_are_proctor_errors() -> None:
    assert issubclass(StorageError, ProctorError)


def test_public_module_exports() -> None:
    import proctor.compat.storage as compat_storage
    import proctor.storage as public

    # Each public name is the engine's own class or its 1.x-spelling version, never a copy.
    for name in public.__all__:
        exported = getattr(public, name)
        assert exported is getattr(core_storage, name, None) or exported is getattr(
            compat_storage, name, None
        ), name
    assert set(public.__all__) >= {"Git", "Local", "Module", "Remote", "storage_from_dict"}
    for name in ("Git", "Local", "Module"):
        assert issubclass(getattr(public, name), getattr(core_storage, name))
