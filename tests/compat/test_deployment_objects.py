"""1.x run configs and storage: they attach to a flow, serialise into its FlowSpec, and a
local `flow.run()` ignores them; storage that Proctor can run from maps onto its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proctor import Flow, task
from proctor.compat.errors import NotOfferedError
from proctor.core.errors import FlowDefinitionError, StorageError
from proctor.core.storage import Git as CoreGit
from proctor.core.storage import Remote, storage_from_dict
from proctor.engine.results import GCSResult, LocalResult, PrefectResult, S3Result
from proctor.executors import LocalDaskExecutor
from proctor.run_configs import DockerRun, ECSRun, KubernetesRun, LocalRun, UniversalRun
from proctor.storage import GCS, S3, Bitbucket, Docker, Git, GitHub, GitLab, Local, Module


@task
def add_one(x):
    return x + 1


def small_flow() -> tuple[Flow, object]:
    with Flow("deploy") as flow:
        result = add_one(1)
    return flow, result


@pytest.mark.parametrize(
    ("run_config", "expected"),
    [
        (
            LocalRun(env={"A": "1"}, working_dir="/srv/flows", labels=["box"]),
            {"type": "local", "env": {"A": "1"}, "labels": ["box"], "working_dir": "/srv/flows"},
        ),
        (UniversalRun(labels=["a", "b"]), {"type": "universal", "labels": ["a", "b"]}),
        (
            DockerRun(image="etl:1.2", env={"B": "2"}, ports=[8080]),
            {"type": "docker", "env": {"B": "2"}, "image": "etl:1.2", "ports": [8080]},
        ),
        (
            KubernetesRun(image="etl:1", cpu_limit=2, memory_request="1Gi"),
            {"type": "kubernetes", "image": "etl:1", "cpu_limit": 2, "memory_request": "1Gi"},
        ),
        (ECSRun(cpu=256, memory=512), {"type": "ecs", "cpu": 256, "memory": 512}),
    ],
)
def test_a_run_config_attaches_serialises_and_a_local_run_ignores_it(run_config, expected):
    flow, result = small_flow()
    flow.run_config = run_config
    spec = flow.serialize()
    assert spec["run_config"] == expected
    json.dumps(spec)  # travels as JSON
    state = flow.run()
    assert state.is_successful() and state.result[result].result == 2


def test_a_run_config_given_to_flow_is_kept_as_its_dict():
    with Flow("with-config", run_config=DockerRun(image="x:1")) as flow:
        add_one(1)
    assert flow.serialize()["run_config"] == {"type": "docker", "image": "x:1"}


def test_run_config_settings_must_be_json():
    with pytest.raises(FlowDefinitionError, match="must be JSON"):
        DockerRun(host_config={"mounts": object()})


def test_kubernetes_run_refuses_two_job_templates():
    with pytest.raises(FlowDefinitionError, match="not both"):
        KubernetesRun(job_template_path="a.yaml", job_template={"kind": "Job"})


def test_1x_storage_maps_onto_proctor_storage(tmp_path: Path):
    flow_file = tmp_path / "flows.py"
    flow_file.write_text("")
    assert Local(path=str(flow_file), stored_as_script=True).to_dict() == {
        "type": "local",
        "path": str(flow_file),
    }
    assert Local().to_dict() == {"type": "local", "path": str(Path(__file__).resolve())}
    assert Module(module="pkg.flows").to_dict() == {"type": "module", "name": "pkg.flows"}
    assert Git(repo="org/repo", flow_path="etl/flow.py", branch_name="dev").to_dict() == {
        "type": "git",
        "url": "https://github.com/org/repo.git",
        "ref": "dev",
        "path": "etl/flow.py",
    }
    assert Git(
        repo="org/repo", flow_path="f.py", repo_host="git.example.com", tag="v1", use_ssh=True
    ).to_dict() == {
        "type": "git",
        "url": "git@git.example.com:org/repo.git",
        "ref": "v1",
        "path": "f.py",
    }
    assert GitHub(repo="org/repo", path="f.py", ref="main").to_dict()["url"] == (
        "https://github.com/org/repo.git"
    )
    assert GitLab(repo="group/proj", path="f.py").to_dict()["url"] == (
        "https://gitlab.com/group/proj.git"
    )
    assert Bitbucket(project="PROJ", repo="r", path="f.py").to_dict()["url"] == (
        "https://bitbucket.org/PROJ/r.git"
    )
    assert S3(bucket="b", key="flows/etl.py", stored_as_script=True).to_dict() == {
        "type": "remote",
        "url": "s3://b/flows/etl.py",
        "storage_options": {},
    }
    assert GCS(bucket="b", key="etl.py").to_dict()["url"] == "gs://b/etl.py"
    # What an agent rebuilds is Proctor's own storage.
    rebuilt = storage_from_dict(GitHub(repo="org/repo", path="f.py").to_dict())
    assert type(rebuilt) is CoreGit
    assert type(storage_from_dict(S3(bucket="b", key="k.py").to_dict())) is Remote


def test_git_refuses_two_refs():
    with pytest.raises(StorageError, match="at most one of branch_name, tag, commit"):
        Git(repo="org/repo", branch_name="dev", tag="v1")


def test_metadata_only_storage_serialises_and_refuses_to_load_with_the_alternative():
    # 1.x Docker storage is Proctor's now: before a build (registration) it is a
    # description only, and loading from it says to register the flow again.
    docker = Docker(registry_url="registry.local", image_name="etl", image_tag="1")
    flow, _ = small_flow()
    flow.storage = docker
    spec = flow.serialize()
    assert spec["storage"] == {
        "type": "docker",
        "settings": {"registry_url": "registry.local", "image_name": "etl", "image_tag": "1"},
    }
    rebuilt = storage_from_dict(spec["storage"])
    assert rebuilt == docker and rebuilt.image_name == "etl"
    with pytest.raises(StorageError, match=r"Docker storage that was never built.*register"):
        rebuilt.load_flow("deploy")
    pickled = S3(bucket="b")  # no key: 1.x uploaded a pickle there
    with pytest.raises(StorageError, match="stored_as_script=True"):
        storage_from_dict(pickled.to_dict()).load_flow("deploy")


def test_1x_results_map_onto_proctor_results(tmp_path: Path):
    assert S3Result(bucket="data").to_dict()["url"] == "s3://data"
    assert GCSResult(bucket="data").to_dict()["url"] == "gs://data"
    local = LocalResult(dir=str(tmp_path / "made"), validate_dir=True)
    assert (tmp_path / "made").is_dir()
    location = local.write({"a": 1}, flow_name="f", flow_run_id="r", task_slug="t")
    assert local.read(location) == {"a": 1}


def test_prefect_result_keeps_the_value_in_the_state():
    with Flow("inline", result=PrefectResult()) as flow:
        value = add_one(41)
    state = flow.run()
    task_state = state.result[value]
    assert task_state.result == 42
    assert task_state.result_location == "42"
    assert PrefectResult().read("[1, 2]") == [1, 2]


def test_local_dask_executor_runs_on_threads_or_processes():
    from proctor.core.executors import ThreadExecutor

    flow, result = small_flow()
    threads = LocalDaskExecutor()
    assert isinstance(threads, ThreadExecutor)
    assert flow.run(executor=threads).result[result].result == 2
    assert type(LocalDaskExecutor(scheduler="processes")).__name__ == "ProcessExecutor"
    with pytest.raises(Exception, match="use 'threads', 'processes' or 'synchronous'"):
        LocalDaskExecutor(scheduler="distributed")


def test_register_takes_the_1x_project_name_and_asks_for_a_project():
    flow, _ = small_flow()
    with pytest.raises(FlowDefinitionError, match="project_name='etl'"):
        flow.register()


def test_create_flow_run_refuses_a_run_config_with_the_alternative():
    from proctor.tasks.prefect import create_flow_run

    with pytest.raises(NotOfferedError, match="register a version with the run config"):
        create_flow_run.run(flow_id="x", run_config=LocalRun())
