"""Run configs through GraphQL: stored with the flow version, a run's `env` laid over
them, and read back by agents with `flowRunConfigs`."""

from __future__ import annotations

import uuid

import pytest
from tests.server.api.graphql_results import data_of, error_codes

from proctor.run_configs import DockerRun

REGISTER = """mutation ($input: RegisterFlowInput!) {
  registerFlow(input: $input) { flow { id runConfig } }
}"""
CREATE_RUN = """mutation ($input: CreateFlowRunInput!) { createFlowRun(input: $input) { id } }"""
CONFIGS = """query ($ids: [ID!]!) {
  flowRunConfigs(ids: $ids) { flowRunId runConfig override }
}"""


@pytest.fixture
async def docker_flow(gql, flow_spec):
    spec = flow_spec("boxed")
    spec["run_config"] = dict(
        DockerRun(image="etl:1.2", env={"A": "flow", "B": "flow"}, memory="1g", cpu=0.5)
    )
    body = await gql(REGISTER, {"input": {"project": "p", "spec": spec, "createProject": True}})
    return data_of(body)["registerFlow"]["flow"]


async def _run(gql, **values) -> str:
    return data_of(await gql(CREATE_RUN, {"input": values}))["createFlowRun"]["id"]


async def test_the_flow_keeps_its_run_config(docker_flow):
    assert docker_flow["runConfig"] == {
        "type": "docker",
        "image": "etl:1.2",
        "env": {"A": "flow", "B": "flow"},
        "memory": "1g",
        "cpu": 0.5,
    }


async def test_a_runs_env_is_laid_over_the_flows(gql, docker_flow):
    plain = await _run(gql, flowId=docker_flow["id"], parameters={"who": "x"})
    given = await _run(
        gql, flowId=docker_flow["id"], parameters={"who": "y"}, env={"B": "run", "C": 3}
    )
    answer = data_of(await gql(CONFIGS, {"ids": [given, str(uuid.uuid4()), plain]}))
    configs = answer["flowRunConfigs"]
    # In the order asked; an unknown id is left out.
    assert [item["flowRunId"] for item in configs] == [given, plain]
    assert configs[0]["runConfig"]["env"] == {"A": "flow", "B": "run", "C": "3"}
    assert configs[0]["runConfig"]["image"] == "etl:1.2"
    assert configs[0]["override"] == {"env": {"B": "run", "C": "3"}}
    assert configs[1]["runConfig"]["env"] == {"A": "flow", "B": "flow"}
    assert configs[1]["override"] is None


@pytest.mark.parametrize(
    ("env", "words"),
    [
        (["A=1"], "env must be an object"),
        ({"1ABC": "x"}, "is not a variable name"),
        ({"A-B": "x"}, "is not a variable name"),
        ({"A": {"nested": 1}}, "A must be a string"),
        ({"A": True}, "A must be a string"),
        ({"A": "x" * 5000}, "A is longer than 4096"),
    ],
)
async def test_a_bad_env_is_refused_with_what_is_wrong(gql, docker_flow, env, words):
    body = await gql(CREATE_RUN, {"input": {"flowId": docker_flow["id"], "env": env,
                                            "parameters": {"who": "z"}}})  # fmt: skip
    assert error_codes(body) == ["INVALID_INPUT"]
    assert words in body["errors"][0]["message"]


async def test_the_client_creates_runs_with_env_and_reads_configs(api, docker_flow):
    run = await api.create_flow_run(docker_flow["id"], parameters={"who": "c"}, env={"TOKEN": "t"})
    [config] = await api.flow_run_configs([run.id])
    assert config.flow_run_id == run.id
    assert config.run_config["env"]["TOKEN"] == "t"
    assert config.run_config["type"] == "docker"
