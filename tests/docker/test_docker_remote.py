"""Remote (fsspec) storage reaching a container: the flow file is only at a `file://` URL
of a folder mounted into the run's container (a shared file system, as an NFS or a
mounted bucket would be), and the run process inside downloads it from there."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from tests.docker.processes import DockerAgentProcess
from tests.docker.test_docker_agent import finished_run, log_lines, register_path

pytestmark = pytest.mark.slow

# Where the shared folder is in the container: not the host's path, so only the URL can
# find the file there.
MOUNTED = "/mnt/shared-flows"

REMOTE_FLOW = """
from pathlib import Path

from proctor import flow, get_run_logger, task
from proctor.run_configs import DockerRun
from proctor.storage import Remote


@task
def hello() -> str:
    here = Path(__file__).resolve()
    get_run_logger().info("{marker} loaded from %s, in a container: %s", here,
                          Path("/.dockerenv").exists())
    return str(here)


@flow(storage=Remote("file://{mounted}/team/flows.py"))
def from_remote():
    hello()


from_remote.run_config = DockerRun(
    image="proctor-test-run:local", volumes=["{shared}:{mounted}:ro"]
)
"""


def test_remote_storage_is_downloaded_inside_the_container(
    home, server, client, docker_agents, docker_daemon, tmp_path
):
    shared = tmp_path / "shared"
    (shared / "team").mkdir(parents=True)
    marker = f"remote-{uuid.uuid4().hex[:8]}"
    source = shared / "team" / "flows.py"
    source.write_text(REMOTE_FLOW.format(marker=marker, mounted=MOUNTED, shared=shared))
    project = f"p-{uuid.uuid4().hex[:8]}"
    flow = register_path(source, project, home, server.url)
    assert flow["storage"] == {
        "type": "remote",
        "url": f"file://{MOUNTED}/team/flows.py",
        "storage_options": {},
    }
    docker_agents.append(DockerAgentProcess(home, server.url, "fetcher", docker_daemon))
    run = finished_run(client, client.create_flow_run(project=project, flow_name="from_remote").id)
    assert run.state == "Success", (run.state_message, docker_agents[0].output())
    [line] = [text for text in log_lines(client, run.id) if text.startswith(marker)]
    # Run from the downloaded copy in the container's own Proctor home, not the mount.
    loaded_from = Path(line.split(" loaded from ", 1)[1].split(",", 1)[0])
    assert loaded_from.name == "flows.py"
    assert "/storage/remote/" in str(loaded_from) and not str(loaded_from).startswith(MOUNTED)
    assert line.endswith("in a container: True")
