"""Which launcher serves which run config, and what a Docker launcher asks of the daemon
(its `docker create` arguments are checked here without a daemon; tests/docker runs them)."""

from __future__ import annotations

import pytest

from proctor.agent.launchers import DockerLauncher, LocalLauncher
from proctor.agent.launchers.docker import is_loopback_url, passed_settings
from proctor.run_configs import DockerRun, KubernetesRun, LocalRun, UniversalRun

RUN_ID = "01234567-89ab-7def-8123-456789abcdef"


@pytest.mark.parametrize("config", [None, {}, dict(UniversalRun()), dict(LocalRun())])
def test_a_local_launcher_serves_local_and_universal_configs(config):
    assert LocalLauncher().refusal(config) is None


def test_a_local_launcher_refuses_a_docker_config_naming_the_agent_to_use():
    reason = LocalLauncher().refusal(dict(DockerRun(image="etl:1")))
    assert reason is not None
    assert "'docker', which a local agent cannot start" in reason
    assert "proctor agent start --type docker" in reason


def test_no_launcher_serves_kubernetes_and_says_so():
    for launcher in (LocalLauncher(), DockerLauncher(image="x")):
        reason = launcher.refusal(dict(KubernetesRun(image="x")))
        assert reason is not None and "none of Proctor's agents starts it" in reason


def test_a_docker_launcher_needs_an_image_from_the_config_or_its_default():
    assert DockerLauncher().refusal(dict(DockerRun(image="etl:1"))) is None
    assert DockerLauncher(image="base:1").refusal(dict(UniversalRun())) is None
    reason = DockerLauncher().refusal(dict(DockerRun()))
    assert reason is not None and "--image" in reason and "DockerRun(image=...)" in reason
    local = DockerLauncher(image="base:1").refusal(dict(LocalRun()))
    assert local is not None and "a Docker agent cannot start" in local


def create_args(launcher: DockerLauncher, config: dict, env: dict) -> list[str]:
    launcher.identify("agent-id-1", "boxer")
    image = str(config.get("image") or launcher.image)
    return launcher.create_args(RUN_ID, env, config, image)


def values_of(args: list[str], option: str) -> list[str]:
    return [args[i + 1] for i, arg in enumerate(args[:-1]) if arg == option]


def test_the_container_gets_env_names_labels_limits_and_the_run_command():
    launcher = DockerLauncher(volumes=["/srv/flows:/srv/flows:ro"], pull="never")
    config = dict(DockerRun(image="etl:1", cpu=1.5, memory="2g", volumes=["/d:/d"]))
    env = {"PROCTOR_API_URL": "http://127.0.0.1:4200", "PROCTOR_API_KEY": "pk_secret"}
    args = create_args(launcher, config, env)
    assert "pk_secret" not in " ".join(args)  # values stay in the docker CLI's environment
    assert sorted(values_of(args, "--env")) == ["PROCTOR_API_KEY", "PROCTOR_API_URL"]
    assert values_of(args, "--label") == [
        f"io.proctor.flow-run-id={RUN_ID}",
        "io.proctor.agent-id=agent-id-1",
        "io.proctor.agent-name=boxer",
    ]
    assert values_of(args, "--cpus") == ["1.5"] and values_of(args, "--memory") == ["2g"]
    assert values_of(args, "--volume") == ["/srv/flows:/srv/flows:ro", "/d:/d"]
    assert values_of(args, "--pull") == ["never"]
    assert values_of(args, "--name")[0].startswith(f"proctor-run-{RUN_ID}-")
    assert args[-7:] == ["etl:1", "python", "-m", "proctor", "execute", "flow-run", RUN_ID]


@pytest.mark.parametrize(
    ("api_url", "agent_network", "config_network", "expected"),
    [
        ("http://127.0.0.1:4200", None, None, ["host"]),  # a loopback server: host network
        ("http://localhost:4200", None, None, ["host"]),
        ("http://[::1]:4200", None, None, ["host"]),
        ("https://proctor.example.com", None, None, []),  # Docker's default
        ("https://proctor.example.com", "flows", None, ["flows"]),  # the agent's
        ("http://127.0.0.1:4200", "flows", "batch", ["batch"]),  # the run config's wins
    ],
)
def test_the_network_comes_from_the_config_the_agent_or_the_servers_address(
    api_url, agent_network, config_network, expected
):
    launcher = DockerLauncher(image="etl:1", network=agent_network)
    config = dict(DockerRun(network=config_network))
    args = create_args(launcher, config, {"PROCTOR_API_URL": api_url})
    assert values_of(args, "--network") == expected


def test_only_run_process_settings_pass_from_the_agents_environment():
    environ = {
        "PROCTOR_FLOW_RUN_HEARTBEAT_SECONDS": "1",
        "PROCTOR_LOGGING_LEVEL": "DEBUG",
        "PROCTOR_API_TIMEOUT": "30",
        "PROCTOR_HOME": "/home/agent/.proctor",
        "PROCTOR_SERVER_DATABASE_URL": "postgresql://secret",
        "HOME": "/home/agent",
    }
    assert passed_settings(environ) == {
        "PROCTOR_FLOW_RUN_HEARTBEAT_SECONDS": "1",
        "PROCTOR_LOGGING_LEVEL": "DEBUG",
        "PROCTOR_API_TIMEOUT": "30",
    }


def test_loopback_urls():
    assert is_loopback_url("http://127.0.0.2:1")
    assert not is_loopback_url("http://10.0.0.1:4200")
    assert not is_loopback_url("not a url")


def test_a_bad_pull_policy_is_refused():
    with pytest.raises(ValueError, match="missing, always or never"):
        DockerLauncher(pull="sometimes")


def test_flows_show_says_where_runs_start_in_one_line():
    from proctor.cli.flows import run_config_summary

    config = dict(DockerRun(image="etl:1", cpu=1, env={"TOKEN": "s3cr3t"}, labels=["d"]))
    assert run_config_summary(config) == "docker: image=etl:1, cpu=1 (env: TOKEN)"
    assert run_config_summary({}) == "universal"
