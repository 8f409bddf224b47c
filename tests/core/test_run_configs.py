"""Run configs: what they store, and the mistakes they refuse before registration."""

from __future__ import annotations

import pytest

from proctor.core.errors import FlowDefinitionError
from proctor.core.run_configs import run_config_env, run_config_type
from proctor.run_configs import DockerRun, LocalRun, UniversalRun


def test_a_docker_run_stores_what_was_given():
    config = DockerRun(
        image="etl:1", env={"A": 1}, labels=["b", "a", "a"], volumes="/d:/d:ro", cpu=2,
        memory=512, network="host",
    )  # fmt: skip
    assert dict(config) == {
        "type": "docker",
        "image": "etl:1",
        "env": {"A": 1},
        "labels": ["a", "b"],
        "volumes": ["/d:/d:ro"],
        "cpu": 2,
        "memory": "512",
        "network": "host",
    }


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"volumes": ["/data"]}, "'/data' is not HOST:CONTAINER"),
        ({"cpu": "two"}, "cpu=...) must be a number"),
        ({"cpu": True}, "cpu=...) must be a number"),
        ({"cpu": 0}, "must be above 0"),
        ({"memory": "lots"}, "'lots' is not a size"),
        ({"image": " "}, "must be an image name"),
        ({"env": ["A=1"]}, "env=...) must be a dict"),
    ],
)
def test_a_docker_run_refuses_mistakes_saying_what_is_wrong(settings, words):
    with pytest.raises(FlowDefinitionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        DockerRun(**settings)


def test_the_helpers_read_stored_configs():
    assert run_config_type(None) == "universal"
    assert run_config_type({}) == "universal"
    assert run_config_type(dict(LocalRun())) == "local"
    assert run_config_env(dict(UniversalRun(env={"A": 1, "B": None}))) == {"A": "1", "B": ""}
    assert run_config_env({"env": "not a dict"}) == {}
