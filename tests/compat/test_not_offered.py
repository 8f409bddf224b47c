"""The table of 1.x APIs Proctor does not offer (`proctor migrate --check` reports their uses)
says the truth both ways: every name in it fails with the one clear NotOfferedError under
its `proctor.` path, and the 1.x names it leaves out work."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any

import pytest

from proctor.compat.errors import NotOfferedError
from proctor.compat.not_offered import NOT_OFFERED, NotOffered

# For a table entry that is a whole module, a name 1.x code takes from it (1.4.1's own).
TAKEN_FROM_MODULE = {
    "prefect.backend.kv_store": "set_key_value",
    "prefect.engine.cloud": "CloudFlowRunner",
    "prefect.agent.local": "LocalAgent",
    "prefect.agent.docker": "DockerAgent",
    "prefect.agent.kubernetes": "KubernetesAgent",
    "prefect.agent.ecs": "ECSAgent",
    "prefect.agent.vertex": "VertexAgent",
    "prefect.utilities.notifications": "slack_notifier",
}


def _under_proctor(name: str) -> str:
    return "proctor." + name.partition(".")[2]


def _use(name: str) -> Any:
    """Do with the `proctor.` twin of the 1.x `name` what a flow file does: import the
    module, take the name from its parent, call it if it is a function."""
    path = _under_proctor(name)
    module_path, _, attribute = path.rpartition(".")
    try:
        module = importlib.import_module(path)
    except ModuleNotFoundError:
        value = getattr(importlib.import_module(module_path), attribute)
        return value() if callable(value) and not isinstance(value, type) else value
    return getattr(module, TAKEN_FROM_MODULE[name])


@pytest.mark.parametrize("entry", NOT_OFFERED, ids=[item.name for item in NOT_OFFERED])
def test_every_listed_api_raises_the_one_clear_error(entry: NotOffered) -> None:
    with pytest.raises(NotOfferedError) as raised:
        _use(entry.name)
    message = str(raised.value)
    assert message.startswith(f"{entry.name}") and "(1.x) is not offered by Proctor: " in message
    assert entry.instead in message


@pytest.mark.parametrize("name", sorted(TAKEN_FROM_MODULE))
def test_a_listed_module_fails_at_the_from_import_line(name: str) -> None:
    assert name in {item.name for item in NOT_OFFERED}
    code = f"from {_under_proctor(name)} import {TAKEN_FROM_MODULE[name]}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert (
        done.stderr.strip().splitlines()[-1].startswith("proctor.compat.errors.NotOfferedError: ")
    )


# 1.x names that used to be in the table, or that sit beside names in it: they work now.
OFFERED: dict[str, Any] = {
    "prefect.storage.GitHub": lambda cls: cls(repo="org/flows", path="flows/etl.py"),
    "prefect.storage.GitLab": lambda cls: cls(repo="org/flows", path="flows/etl.py"),
    "prefect.storage.Bitbucket": lambda cls: cls(
        project="PRJ", repo="flows", path="flows/etl.py"
    ),
    "prefect.storage.S3": lambda cls: cls(bucket="flows", key="etl.py"),
    "prefect.storage.GCS": lambda cls: cls(bucket="flows", key="etl.py"),
    "prefect.storage.Azure": lambda cls: cls(container="flows", blob_name="etl.py"),
    "prefect.storage.Docker": lambda cls: cls(image_name="etl", registry_url="r.example"),
    "prefect.storage.Webhook": lambda cls: cls(
        build_request_kwargs={}, build_request_http_method="POST",
        get_flow_request_kwargs={}, get_flow_request_http_method="GET",
    ),
    "prefect.storage.CodeCommit": lambda cls: cls(repo="flows", path="etl.py"),
    "prefect.run_configs.ECSRun": lambda cls: cls(labels=["ecs"]),
    "prefect.run_configs.VertexRun": lambda cls: cls(labels=["vertex"]),
    "prefect.backend.FlowRunView": lambda cls: cls.from_flow_run_id,
    "prefect.backend.TaskRunView": lambda cls: cls.get_result,
    "prefect.Client": lambda cls: (cls.create_flow_run, cls.get_flow_run_info),
    # Artifacts are Proctor's own now: outside a task run they are made and not kept.
    "prefect.artifacts.create_markdown": lambda fn: fn("# made"),
    "prefect.artifacts.create_link": lambda fn: fn("https://example.com"),
    "prefect.artifacts.update_markdown": lambda fn: fn.__name__,
    "prefect.backend.create_markdown_artifact": lambda fn: fn("# made"),
    "prefect.backend.create_link_artifact": lambda fn: fn("https://example.com"),
    "prefect.backend.delete_artifact": lambda fn: fn.__name__,
    "prefect.backend.artifacts.update_link_artifact": lambda fn: fn.__name__,
}  # fmt: skip


def _is_listed(name: str) -> bool:
    return any(name == item.name or name.startswith(item.name + ".") for item in NOT_OFFERED)


@pytest.mark.parametrize("name", sorted(OFFERED))
def test_names_left_out_of_the_table_work(name: str) -> None:
    assert not _is_listed(name)
    path = _under_proctor(name)
    module_path, _, attribute = path.rpartition(".")
    value = getattr(importlib.import_module(module_path), attribute)
    assert "Not offered" not in (value.__doc__ or "")
    made = OFFERED[name](value)
    assert made is not None


def test_deployment_objects_kept_as_metadata_attach_to_a_flow_and_serialise() -> None:
    from proctor import Flow
    from proctor.run_configs import ECSRun
    from proctor.storage import Docker

    flow = Flow("metadata", storage=Docker(image_name="etl"), run_config=ECSRun(labels=["a"]))
    spec = flow.serialize()
    assert spec is not None


def test_every_1x_module_path_name_is_left_out_of_the_table() -> None:
    # The names test_module_paths checks exist must not be reported as not offered.
    from test_module_paths import PATHS

    for path, names in PATHS.items():
        module = importlib.import_module(path)
        for name in names:
            one_x = "prefect." + f"{path}.{name}".partition(".")[2]
            stand_in = (getattr(module, name).__doc__ or "").startswith("Not offered")
            assert _is_listed(one_x) == stand_in, one_x
