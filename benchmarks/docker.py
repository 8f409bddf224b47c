"""Docker agent benchmark: how long a container-launched run takes to start.

    python benchmarks/docker.py latency 20
    python benchmarks/docker.py map 1000
    python benchmarks/docker.py all 20 --map 1000     # both, one daemon and server

Starts a Docker daemon of its own (as the tests do: `tests/docker/daemon.py`, root
needed), builds the tests' local image (busybox with this machine's interpreter, venv and
checkout mounted read-only: no registry is reachable here), then `proctor server start`
(SQLite in a temporary folder) and `proctor agent start --type docker`, as a user would.
K runs of a one-task flow with `DockerRun` are created one after another (each waits for
the previous to finish, so the figures are of a quiet machine, not a queue). Printed as
JSON lines, one per figure (`agent`: docker or local, `metric`):

- `start_latency`: from the run's `Submitted` state (the agent claimed it) to its
  `Running` state (the process in the container read its run, loaded the flow and was let
  start), as recorded by the server: p50, p95 and max, in seconds;
- `claim_to_finished`: from `Submitted` to the final state;
- the same two for a local agent (forked run processes), for comparison.

`map N` (`metric`: `per_task`): one run in a container maps a trivial task over N
elements; timed from the run's `Running` to the server having the final state of every
task run (as benchmarks/backend.py does for a local run): `per_task_ms` is that time
over N.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' daemon and image helpers
os.environ.setdefault("PROCTOR_LOGGING_LEVEL", "WARNING")

from tests.docker.daemon import (  # noqa: E402
    RUN_IMAGE,
    DockerDaemon,
    build_run_image,
    run_volumes,
    why_no_daemon,
)

from proctor.client import Client  # noqa: E402
from proctor.testing import ServerProcess  # noqa: E402

FLOW_FILE = f"""
from proctor import flow, task
from proctor.run_configs import DockerRun, LocalRun


@task
def hello() -> str:
    return "hello"


@flow
def in_docker():
    hello()


@flow
def in_process():
    hello()


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def double(x: int) -> int:
    return 2 * x


@flow
def mapped_in_docker(n: int = 1000):
    double.map(numbers(n))


# Labels route each flow to its kind of agent (a local agent would refuse a DockerRun).
in_docker.run_config = DockerRun(image={RUN_IMAGE!r}, labels=["docker"])
mapped_in_docker.run_config = DockerRun(image={RUN_IMAGE!r}, labels=["docker"])
in_process.run_config = LocalRun(labels=["local"])
"""

FINAL = {"Success", "Failed", "Cancelled"}


def agent_env(folder: Path, api_url: str, daemon: DockerDaemon) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env.update(
        PROCTOR_HOME=str(folder),
        PROCTOR_API_URL=api_url,
        PROCTOR_LOGGING_LEVEL="WARNING",
        PROCTOR_AGENT_CLAIM_WAIT_SECONDS="10",
        DOCKER_HOST=daemon.host,
    )
    return env


def start_agents(folder: Path, api_url: str, daemon: DockerDaemon) -> list[subprocess.Popen[bytes]]:
    docker = [sys.executable, "-m", "proctor", "agent", "start", "--type", "docker"]
    docker += ["--name", "bench-docker", "--pull", "never", "--label", "docker"]
    for volume in [*run_volumes(), f"{folder}:{folder}:ro"]:  # the flow file is here
        docker += ["--volume", volume]
    local = [sys.executable, "-m", "proctor", "agent", "start", "--name", "bench-local"]
    local += ["--label", "local"]
    env = agent_env(folder, api_url, daemon)
    return [
        subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(folder / f"agent-{index}.log").open("wb"),
        )
        for index, command in enumerate([docker, local])
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def figures(values: list[float]) -> dict[str, float]:
    return {
        "runs": len(values),
        "p50_seconds": round(statistics.median(values), 3),
        "p95_seconds": round(percentile(values, 0.95), 3),
        "max_seconds": round(max(values), 3),
    }


def measure(client: Client, flow_id: str, count: int) -> dict[str, dict[str, float]]:
    to_running: list[float] = []
    to_finished: list[float] = []
    for _ in range(count):
        run = client.create_flow_run(flow_id)
        deadline = time.monotonic() + 300
        while (run := client.get_flow_run(run.id)).state not in FINAL:
            if time.monotonic() > deadline:
                raise RuntimeError(f"run {run.id} did not finish: {run.state}")
            time.sleep(0.1)
        assert run.state == "Success", run.state_message
        stamps = {state.state: state.timestamp for state in run.states}
        submitted, running, ended = stamps["Submitted"], stamps["Running"], stamps["Success"]
        assert submitted and running and ended
        to_running.append((running - submitted).total_seconds())
        to_finished.append((ended - submitted).total_seconds())
    return {"start_latency": figures(to_running), "claim_to_finished": figures(to_finished)}


def measure_map(client: Client, flow_id: str, n: int) -> dict[str, object]:
    run = client.create_flow_run(flow_id, parameters={"n": n})
    expected = n + 3  # numbers, n, the mapped node and its n children
    deadline = time.monotonic() + 600
    while (client.list_task_runs(run.id, states=sorted(FINAL), first=1).total_count or 0) < (
        expected
    ):
        if time.monotonic() > deadline:
            raise RuntimeError(f"run {run.id} did not record its {expected} task runs")
        time.sleep(0.05)
    recorded_at = time.time()
    run = client.get_flow_run(run.id)
    assert run.start_time is not None
    seconds = recorded_at - run.start_time.timestamp()
    return {"tasks": n, "task_runs": expected, "seconds": round(seconds, 3),
            "per_task_ms": round(seconds / n * 1000, 4)}  # fmt: skip


def bench(workload: str, count: int, map_size: int) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="proctor-bench-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        daemon = DockerDaemon(folder)
        daemon.start()
        server = ServerProcess(f"sqlite+aiosqlite:///{folder / 'proctor.db'}", folder)
        agents: list[subprocess.Popen[bytes]] = []
        try:
            build_run_image(daemon, folder)
            server.start(timeout=60)
            agents = start_agents(folder, server.url, daemon)
            flows_file = folder / "bench_docker_flows.py"
            flows_file.write_text(FLOW_FILE)
            from proctor.core.loader import load_flows_from_path

            flows = load_flows_from_path(flows_file)
            with Client(server.url) as client:
                ids = {
                    name: flows[name].register("bench", api_url=server.url).flow.id
                    for name in ("in_docker", "in_process", "mapped_in_docker")
                }
                time.sleep(2.0)  # let both agents register and start their long-polls
                lines: list[dict[str, object]] = []
                common = {"benchmark": "docker", "database": "sqlite"}
                if workload in {"latency", "all"}:
                    for agent, flow_name in (("docker", "in_docker"), ("local", "in_process")):
                        measured = measure(client, ids[flow_name], count)
                        for metric, values in measured.items():
                            lines.append({**common, "agent": agent, "metric": metric, **values})
                if workload in {"map", "all"}:
                    size = count if workload == "map" else map_size
                    mapped = measure_map(client, ids["mapped_in_docker"], size)
                    lines.append({**common, "agent": "docker", "metric": "per_task", **mapped})
                return lines
        finally:
            for agent in agents:
                agent.send_signal(signal.SIGTERM)
            for agent in agents:
                try:
                    agent.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    agent.kill()
            server.stop()
            daemon.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["latency", "map", "all"])
    parser.add_argument("n", type=int, help="runs for latency and all, tasks for map")
    parser.add_argument("--map", type=int, default=1000, help="tasks of the map (all)")
    args = parser.parse_args()
    reason = why_no_daemon()
    if reason is not None:
        sys.exit(f"cannot benchmark the Docker agent here: {reason}")
    for line in bench(args.workload, args.n, args.map):
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
