"""Docker storage without a daemon: the Dockerfile and context it writes, the run config
it registers, its default tag, and the mistakes it refuses. (tests/docker builds and runs
a flow with a real daemon.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from proctor import Flow
from proctor.core.errors import StorageError
from proctor.core.storage import Docker, storage_from_dict
from proctor.core.storage.docker_build import BuildPlan, context_digest, dockerfile, write_context


def plan(tmp_path: Path, **changes: object) -> BuildPlan:
    flow_file = tmp_path / "etl.py"
    if not flow_file.exists():
        flow_file.write_text("print('flow')\n")
    values: dict[str, object] = {
        "base_image": "python:3.11-slim",
        "flow_file": flow_file,
        "flow_path": "/opt/proctor/flows/etl.py",
    }
    values.update(changes)
    return BuildPlan(**values)  # type: ignore[arg-type]


def test_the_dockerfile_builds_from_the_base_with_each_addition_in_order(tmp_path: Path):
    data = tmp_path / "data.csv"
    data.write_text("a,b\n")
    built = plan(
        tmp_path,
        files={str(data): "/srv/data.csv"},
        env_vars={"MODE": 'say "hi"'},
        python_dependencies=["pandas==2.2", "requests"],
        extra_commands=["LABEL team=etl"],
    )
    assert dockerfile(built).splitlines() == [
        "FROM python:3.11-slim",
        'ENV MODE="say \\"hi\\""',
        'RUN ["python", "-m", "pip", "install", "--no-cache-dir", "pandas==2.2", "requests"]',
        'COPY ["files/0", "/srv/data.csv"]',
        'COPY ["flow/etl.py", "/opt/proctor/flows/etl.py"]',
        "LABEL team=etl",
    ]
    context = tmp_path / "context"
    context.mkdir()
    write_context(built, context)
    assert (context / "files" / "0").read_text() == "a,b\n"
    assert (context / "flow" / "etl.py").read_text() == "print('flow')\n"
    assert (context / "Dockerfile").read_text() == dockerfile(built)


def test_the_default_tag_follows_what_the_image_is_built_from(tmp_path: Path):
    first = context_digest(plan(tmp_path))
    assert context_digest(plan(tmp_path)) == first and len(first) == 12
    assert context_digest(plan(tmp_path, base_image="python:3.12-slim")) != first
    (tmp_path / "etl.py").write_text("print('changed')\n")
    assert context_digest(plan(tmp_path)) != first


def test_a_missing_extra_file_is_refused_before_any_build(tmp_path: Path):
    context = tmp_path / "context"
    context.mkdir()
    with pytest.raises(StorageError, match=r"files= names .*does not exist here"):
        write_context(plan(tmp_path, files={str(tmp_path / "gone.txt"): "/x"}), context)


def test_the_built_image_goes_into_the_run_config_unless_it_names_its_own():
    built = Docker(image="etl:abc", path="/opt/proctor/flows/etl.py")
    assert built.run_config_for({}) == {"type": "docker", "image": "etl:abc"}
    assert built.run_config_for({"type": "universal", "env": {"A": "1"}}) == {
        "type": "docker",
        "image": "etl:abc",
        "env": {"A": "1"},
    }
    assert built.run_config_for({"type": "docker", "image": "mine:1"}) == {
        "type": "docker",
        "image": "mine:1",
    }
    assert built.run_config_for({"type": "kubernetes"}) == {
        "type": "kubernetes",
        "image": "etl:abc",
    }
    assert built.run_config_for({"type": "local"}) == {"type": "local"}
    assert Docker(base_image="b").run_config_for({}) == {}  # not built: nothing to name


def test_a_built_description_round_trips_and_loads_only_where_the_file_is(tmp_path: Path):
    built = Docker(image="etl:abc", path="/opt/proctor/flows/nowhere-here.py")
    built.settings = {"base_image": "python:3.11-slim"}
    again = storage_from_dict(built.to_dict())
    assert isinstance(again, Docker) and again == built
    assert again.to_dict() == {
        "type": "docker",
        "image": "etl:abc",
        "path": "/opt/proctor/flows/nowhere-here.py",
        "settings": {"base_image": "python:3.11-slim"},
    }
    with pytest.raises(StorageError, match=r"is in image etl:abc.*Docker agent"):
        again.load_flow("etl")
    flow_file = tmp_path / "here.py"
    flow_file.write_text("from proctor import Flow\n\nwith Flow('here') as flow:\n    pass\n")
    assert Docker(image="etl:abc", path=str(flow_file)).load_flow("here").name == "here"


def test_mistakes_are_refused_with_what_to_do(tmp_path: Path):
    flow = Flow("etl")
    with pytest.raises(StorageError, match="needs base_image"):
        Docker().build(flow)
    with pytest.raises(StorageError, match="extra_dockerfile_commands"):
        Docker(base_image="b", dockerfile="Dockerfile").build(flow)
    with pytest.raises(StorageError, match="must be absolute"):
        Docker(base_image="b", path="flows/etl.py")
    with pytest.raises(StorageError, match="not an absolute path in the image"):
        Docker(base_image="b", files={"a.txt": "a.txt"})
    with pytest.raises(StorageError, match="python_dependencies must be a list of strings"):
        Docker(base_image="b", python_dependencies=[3])  # type: ignore[list-item]
    with pytest.raises(StorageError, match="has none here"):
        Docker(base_image="b", flow_file=str(tmp_path / "missing.py")).build(flow)
