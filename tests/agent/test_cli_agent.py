"""The hybrid commands' help and argument checks, in process (no server needed)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from proctor.cli.main import app

COMMANDS = [
    ["register"],
    ["run"],
    ["runs", "cancel"],
    ["runs", "restart"],
    ["agent", "start"],
    ["agent", "docker", "start"],
    ["agents", "ls"],
    ["flows", "schedule"],
    ["execute", "flow-run"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_hybrid_command_has_help(command):
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_agent_env_must_be_name_value():
    result = CliRunner().invoke(app, ["agent", "start", "--env", "NOVALUE"])
    assert result.exit_code == 2
    assert "NAME=VALUE" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--type", "k8s"], "--type 'k8s' is not an agent type: use local or docker"),
        (["--image", "etl:1"], "are for Docker agents: add --type docker"),
        (["--type", "docker", "--pull", "sometimes"], "--pull 'sometimes': use missing"),
        (["--type", "docker", "--volume", "/data"], "--volume '/data' is not HOST:CONTAINER"),
    ],
)
def test_agent_type_options_are_checked_before_anything_starts(args, words):
    result = CliRunner().invoke(app, ["agent", "start", *args])
    assert result.exit_code == 2
    assert words in result.output


def test_run_env_must_be_name_value():
    result = CliRunner().invoke(app, ["run", "etl", "--env", "NOVALUE"])
    assert result.exit_code == 2
    assert "NAME=VALUE" in result.output


def test_register_names_a_missing_file(tmp_path):
    result = CliRunner().invoke(app, ["register", str(tmp_path / "nowhere.py")])
    assert result.exit_code == 2
    assert "No such flow file" in result.output


def test_the_server_down_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(
        app,
        ["agents", "ls", "--api-url", "http://127.0.0.1:9"],
        env={"PROCTOR_HOME": str(tmp_path)},
    )
    assert result.exit_code == 1
    assert "cannot reach the Proctor server" in result.output
